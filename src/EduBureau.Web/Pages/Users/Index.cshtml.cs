using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Pages.Users;

/// <summary>用户管理: the accounts under the admin's unit, paged, filtered, exportable; and accounts in bulk for schools or townships.</summary>
public sealed class IndexModel(EduDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> L, BureauTime time) : PageModel
{
    public GridPage<UserListItem> Grid { get; private set; } = null!;
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    private Grid<UserListItem> Define()
    {
        var now = clock.GetUtcNow();
        return new Grid<UserListItem>()
            .Add("user", L["用户名"], u => u.UserName, GridFilterKind.Contains, href: u => $"/Users/Edit/{u.Id}")
            .Add("name", L["姓名"], u => u.DisplayName, GridFilterKind.Contains)
            .Add("role", L["角色"], u => u.Role, GridFilterKind.Select, Roles.All.Select(r => new GridOption(r, Roles.Label(r))).ToList(),
                display: u => Roles.Label(u.Role))
            .Add("unit", L["单位"], u => u.UnitName, GridFilterKind.Contains)
            .Add("login", L["最近登录"], u => u.LastLoginUtc, display: u => time.Local(u.LastLoginUtc, "从未登录"))
            .Add("status", L["状态"], u => u.Disabled, display: u => u.Status(now),
                css: u => u.Status(now) == "正常" ? null : "warn")
            .DefaultSort("user");
    }

    public async Task OnGetAsync(bool? bulkEmpty, CancellationToken ct)
    {
        if (bulkEmpty == true) Message = "没有需要创建账号的单位：范围内每个未撤销的单位都已有该角色的账号。";
        Grid = await Define().PageAsync(ManageUsers.List(db), GridQuery.From(Request), ct);
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        await Define().ExportAsync(ManageUsers.List(db), GridQuery.From(Request), "用户列表.xlsx", ct);

    /// <summary>
    /// 为尚无账号的学校（或乡镇）批量创建账号, answered with the .xlsx of user names and initial passwords in the same
    /// response: the passwords exist only in this download, never on disk or in the database in clear.
    /// </summary>
    public async Task<IActionResult> OnPostBulkAsync(string? kind, CancellationToken ct)
    {
        var unitKind = kind switch { "school" => OrgUnitKind.School, "township" => OrgUnitKind.Township, _ => (OrgUnitKind?)null };
        if (unitKind is null) return BadRequest();
        var accounts = await ManageUsers.CreateForUnitsAsync(db, unitKind.Value, ct);
        if (accounts.Count == 0) return Redirect("/Users?bulkEmpty=true");
        var ms = new MemoryStream();
        ManageUsers.WriteSheet(ms, accounts);
        ms.Position = 0;
        Response.Headers.CacheControl = "no-store";
        var label = unitKind == OrgUnitKind.School ? "学校" : "乡镇";
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"{label}账号_{time.Local(clock.GetUtcNow().UtcDateTime)[..10]}.xlsx");
    }
}
