using System.Text.Json;
using EduBureau.Core.Audit;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Pages.Audit;

/// <summary>The audit log: who changed what, when, old → new. Bureau admin only.</summary>
public sealed class IndexModel(EduDbContext db, IStringLocalizer<SharedResource> L) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    public GridPage<AuditEntry> Grid { get; private set; } = null!;

    private static readonly Dictionary<string, string> EntityNames = new()
    {
        ["Student"] = "学生", ["Enrollment"] = "学籍", ["StatusEvent"] = "学籍变动", ["StaffMember"] = "教职工", ["StaffAssignment"] = "任职",
        ["School"] = "学校", ["OrgUnit"] = "组织机构", ["ClassRoom"] = "班级", ["AppUser"] = "账号", ["SchoolCondition"] = "办学条件",
    };

    private Grid<AuditEntry> Define() => new Grid<AuditEntry>()
        .Add("at", L["时间（UTC）"], a => a.At)
        .Add("user", L["用户"], a => a.UserName, GridFilterKind.Contains)
        .Add("action", L["操作"], a => a.Action, GridFilterKind.Select, new[] { "新增", "修改", "删除", "导入", "导入修改", "导出", "按证件号查询", "查看", "下载附件", "修改密码", "批量创建账号", "开启学年", "发布", "上传", "生成", "撤并" }.Select(x => new GridOption(x, x)).ToList())
        .Add("entity", L["对象"], a => a.Entity, GridFilterKind.Select, EntityNames.Select(p => new GridOption(p.Key, p.Value)).ToList(),
            display: a => EntityNames.GetValueOrDefault(a.Entity, a.Entity))
        .Add("key", L["编号"], a => a.EntityKey, GridFilterKind.Contains)
        .Add("changes", L["变更内容（原值 → 新值）"], a => a.Changes, display: a => Describe(a.Changes))
        .DefaultSort("at", desc: true);

    private IQueryable<AuditEntry> Source()
    {
        var q = db.AuditLog.AsNoTracking();
        if (From is { } f) { var t = f.ToDateTime(TimeOnly.MinValue); q = q.Where(a => a.At >= t); }
        if (To is { } to) { var t = to.AddDays(1).ToDateTime(TimeOnly.MinValue); q = q.Where(a => a.At < t); }
        return q;
    }

    public async Task OnGetAsync(CancellationToken ct) => Grid = await Define().PageAsync(Source(), GridQuery.From(Request), ct);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        await Define().ExportAsync(Source(), GridQuery.From(Request), "审计日志.xlsx", ct);

    /// <summary>{"Name":["张一","张壹"]} → 姓名/Name: 张一 → 张壹; one change per line.</summary>
    public static string Describe(string? json)
    {
        if (string.IsNullOrEmpty(json)) return "";
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return json;
            return string.Join("；", doc.RootElement.EnumerateObject().Select(p =>
            {
                if (p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 2)
                    return $"{FieldName(p.Name)}：{Show(p.Value[0])} → {Show(p.Value[1])}";
                return $"{FieldName(p.Name)}：{Show(p.Value)}";
            }));
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static string Show(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => "（空）",
        JsonValueKind.String => e.GetString() ?? "",
        _ => e.GetRawText(),
    };

    private static readonly Dictionary<string, string> Fields = new()
    {
        ["StudentNo"] = "学籍号", ["StaffNo"] = "教职工号", ["Name"] = "姓名", ["Gender"] = "性别", ["BirthDate"] = "出生日期",
        ["IdNumber"] = "身份证件号", ["Ethnicity"] = "民族", ["HouseholdTownship"] = "户籍乡镇", ["EntryYearMonth"] = "入学年月",
        ["Version"] = "版本", ["SchoolId"] = "学校", ["ClassId"] = "班级", ["Grade"] = "年级", ["Status"] = "学籍状态", ["Year"] = "学年",
        ["Kind"] = "变动", ["Date"] = "日期", ["OtherSchoolId"] = "对方学校", ["Note"] = "备注", ["Post"] = "岗位类别", ["Subject"] = "任教学科",
        ["Education"] = "最高学历", ["Title"] = "专业技术职务", ["Backbone"] = "骨干级别", ["Honors"] = "荣誉称号", ["WorkStart"] = "参加工作年月",
        ["Established"] = "编制", ["PreschoolMajor"] = "学前教育专业",
    };

    private static string FieldName(string property) => Fields.TryGetValue(property, out var zh) ? zh : property;
}
