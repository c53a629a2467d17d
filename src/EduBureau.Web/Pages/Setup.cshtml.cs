using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages;

/// <summary>
/// First run of a real installation: creates the first administrator. Only from this machine (localhost)
/// and only while no account exists, so an exposed fresh install cannot be claimed from the network.
/// Concurrent submissions create one administrator (<see cref="FirstRun"/>); the others get the closed message.
/// </summary>
public sealed class SetupModel(DatabaseOptions options) : PageModel
{
    [BindProperty] public string UnitName { get; set; } = "";
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    public string? Error { get; private set; }
    public string? Closed { get; private set; }

    public async Task OnGetAsync() => Closed = await WhyClosedAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if ((Closed = await WhyClosedAsync()) is not null) return Page();
        var result = await FirstRun.CreateAdministratorAsync(options, UnitName ?? "", UserName ?? "", Password ?? "", ct);
        if (result.Succeeded) return Redirect("/Account/Login");
        if (result.Status == ResultStatus.Conflict)
        {
            Closed = result.Message;
            var page = Page();
            page.StatusCode = StatusCodes.Status409Conflict;
            return page;
        }
        Error = result.Message;
        return Page();
    }

    private async Task<string?> WhyClosedAsync()
    {
        var remote = HttpContext.Connection.RemoteIpAddress;
        if (remote is not null && !System.Net.IPAddress.IsLoopback(remote))
            return "首次设置只能在服务器本机（localhost）上进行。";
        await using var db = Database.OpenSystem(options, "setup");
        return await db.Users.AnyAsync() ? FirstRun.AlreadyDone : null;
    }
}
