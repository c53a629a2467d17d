using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// The left navigation of the layout: the modules a user is shown. Showing is not permission — PagePolicies decides who
/// may open a page; this only leaves out what cannot concern the unit, e.g. 中考招生 for a school without 初三.
/// </summary>
public sealed class NavMenu(CurrentView view, DatabaseOptions dbOptions, IMemoryCache cache, IOptions<CacheOptions> cacheOptions)
{
    public sealed record Item(string Href, string Label);

    private static readonly Item[] Modules =
    [
        new("/", "首页"), new("/Org", "组织机构"), new("/Schools", "学校"), new("/Students", "学生"), new("/Staff", "教职工"),
        new("/Imports", "数据导入"), new("/Collection", "填报审核"), new("/Indicators", "指标与目标"), new("/Plans", "工作计划"), new("/Exams", "考试分析"),
        new("/Admission", "中考招生"), new("/Dropout", "控辍保学"), new("/Aid", "学生资助"),
        new("/Jobs", "我的任务"),
    ];

    private static readonly Item[] AdminModules =
    [
        new("/Audit", "审计日志"), new("/Users", "用户管理"), new("/Setup/Checklist", "开通向导"), new("/Years", "新学年"),
    ];

    /// <summary>The entries for the signed-in user, in menu order.</summary>
    public IReadOnlyList<Item> Items
    {
        get
        {
            var items = Modules.Where(m => m.Href != "/Admission" || ShowsAdmission).ToList();
            if (view.Role == Roles.BureauAdmin) items.AddRange(AdminModules);
            return items;
        }
    }

    /// <summary>
    /// 中考招生 concerns a school only if it has 初三 pupils: 初中, 九年一贯制, 完全中学, 十二年一贯制 and 特殊教育学校
    /// (which may run grades 1–9). A 幼儿园, 小学, 教学点, 高中 or 中职 account does not see it; regions always do.
    /// </summary>
    public static bool HasJuniorGraduates(SchoolLevel level) => level is SchoolLevel.Junior or SchoolLevel.NineYear
        or SchoolLevel.Complete or SchoolLevel.TwelveYear or SchoolLevel.Special;

    private bool ShowsAdmission => view.Unit is not { Kind: OrgUnitKind.School } unit || SchoolLevelOf(unit.Id) is not { } level
        || HasJuniorGraduates(level);

    private SchoolLevel? SchoolLevelOf(int id) => cache.GetOrCreate($"edu:school-level:{id}", e =>
    {
        e.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(cacheOptions.Value.UnitMinutes);
        e.Size = CacheSizes.Small;
        e.AddExpirationToken(view.Changes.Token);
        using var db = Database.OpenSystem(dbOptions, "web");
        return db.Schools.Where(s => s.Id == id).Select(s => (SchoolLevel?)s.Level).FirstOrDefault();
    });
}
