using EduBureau.Core.Audit;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Pages.Audit;

/// <summary>The audit log: who changed what, when, old → new. Bureau admin only.</summary>
public sealed class IndexModel(EduDbContext db, IStringLocalizer<SharedResource> L, BureauTime time) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    public GridPage<AuditEntry> Grid { get; private set; } = null!;

    private static readonly Dictionary<string, string> EntityNames = new()
    {
        ["Student"] = "学生", ["Enrollment"] = "学籍", ["StatusEvent"] = "学籍变动", ["StaffMember"] = "教职工", ["StaffAssignment"] = "任职",
        ["School"] = "学校", ["OrgUnit"] = "组织机构", ["ClassRoom"] = "班级", ["AppUser"] = "账号", ["SchoolCondition"] = "办学条件",
        ["DropoutCase"] = "控辍案件", ["PlanTask"] = "规划任务", ["PlanGoal"] = "规划目标", ["CaseAttachment"] = "案件附件", ["CaseStep"] = "劝返步骤",
    };

    private Grid<AuditEntry> Define() => new Grid<AuditEntry>()
        // Stored UTC, shown (and exported) in the bureau's zone.
        .Add("at", L["时间"], a => a.At, display: a => time.Local(a.At))
        .Add("user", L["用户"], a => a.UserName, GridFilterKind.Contains)
        .Add("action", L["操作"], a => a.Action, GridFilterKind.Select, new[] { "新增", "修改", "删除", "导入", "导入修改", "导出", "按证件号查询", "查看", "下载附件", "修改密码", "登录", "登录失败", "批量创建账号", "开启学年", "发布", "上传", "生成", "撤并" }.Select(x => new GridOption(x, x)).ToList())
        .Add("entity", L["对象"], a => a.Entity, GridFilterKind.Select, EntityNames.Select(p => new GridOption(p.Key, p.Value)).ToList(),
            display: a => EntityNames.GetValueOrDefault(a.Entity, a.Entity))
        .Add("key", L["编号"], a => a.EntityKey, GridFilterKind.Contains)
        .Add("changes", L["变更内容（原值 → 新值）"], a => a.Changes, display: a => AuditText.Describe(a.Changes, a.Entity))
        .DefaultSort("at", desc: true);

    private IQueryable<AuditEntry> Source()
    {
        var q = db.AuditLog.AsNoTracking();
        // The dates are the bureau's days: their midnights in UTC, as the times are stored.
        if (From is { } f) { var t = time.StartUtc(f); q = q.Where(a => a.At >= t); }
        if (To is { } to) { var t = time.StartUtc(to.AddDays(1)); q = q.Where(a => a.At < t); }
        return q;
    }

    public async Task OnGetAsync(CancellationToken ct) => Grid = await Define().PageAsync(Source(), GridQuery.From(Request), ct);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        await Define().ExportAsync(Source(), GridQuery.From(Request), "审计日志.xlsx", ct);
}
