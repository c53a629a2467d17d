using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages;

/// <summary>
/// First run of a real installation: creates the first administrator. Only from this machine (localhost)
/// and only while no account exists, so an exposed fresh install cannot be claimed from the network.
/// </summary>
public sealed class SetupModel(DatabaseOptions options) : PageModel
{
    [BindProperty] public string UnitName { get; set; } = "";
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    public string? Error { get; private set; }
    public string? Closed { get; private set; }

    public async Task OnGetAsync() => Closed = await WhyClosedAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if ((Closed = await WhyClosedAsync()) is not null) return Page();
        if (string.IsNullOrWhiteSpace(UnitName) || string.IsNullOrWhiteSpace(UserName))
        {
            Error = "请填写单位名称和用户名";
            return Page();
        }
        await using var db = Database.OpenSystem(options, "setup");
        var rootId = await OrgRules.EnsureRootAsync(db, UnitName.Trim());
        try
        {
            await UserAccounts.CreateAsync(db, UserName, Password, Roles.BureauAdmin, rootId);
        }
        catch (ArgumentException e)
        {
            Error = e.Message;
            return Page();
        }
        return Redirect("/Account/Login");
    }

    private async Task<string?> WhyClosedAsync()
    {
        var remote = HttpContext.Connection.RemoteIpAddress;
        if (remote is not null && !System.Net.IPAddress.IsLoopback(remote))
            return "首次设置只能在服务器本机（localhost）上进行。";
        await using var db = Database.OpenSystem(options, "test");
        return await db.Users.AnyAsync() ? "已有账号，首次设置已关闭。请登录。" : null;
    }
}
