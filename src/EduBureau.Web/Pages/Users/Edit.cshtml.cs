using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Users;

/// <summary>One account: change role or unit, 停用/启用, 解锁, 重置密码 (the new password shown once).</summary>
public sealed class EditModel(EduDbContext db, TimeProvider clock, LoginThrottle throttle) : PageModel
{
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public int? OrgUnitId { get; set; }
    public UserListItem Account { get; private set; } = null!;
    public string Status { get; private set; } = "";
    public List<SelectListItem> RoleList { get; private set; } = [];
    public List<SelectListItem> UnitList { get; private set; } = [];
    public IssuedAccount? Issued { get; private set; }
    public string? Error { get; private set; }
    public string? Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? saved, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Role = Account.Role;
        OrgUnitId = Account.OrgUnitId;
        Saved = saved switch
        {
            "role" => "角色和单位已保存；该用户须重新登录。", "disabled" => "账号已停用，该用户的登录已失效。", "enabled" => "账号已启用。",
            "unlocked" => "账号已解锁。", _ => null,
        };
        await LoadPickersAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostRoleAsync(string id, CancellationToken ct) =>
        RunAsync(id, "role", () => ManageUsers.ChangeRoleAsync(db, id, Role, OrgUnitId, ct), ct);

    public Task<IActionResult> OnPostDisableAsync(string id, CancellationToken ct) =>
        RunAsync(id, "disabled", () => ManageUsers.SetDisabledAsync(db, id, true, ct), ct);

    public Task<IActionResult> OnPostEnableAsync(string id, CancellationToken ct) =>
        RunAsync(id, "enabled", () => ManageUsers.SetDisabledAsync(db, id, false, ct), ct);

    public Task<IActionResult> OnPostUnlockAsync(string id, CancellationToken ct) =>
        RunAsync(id, "unlocked", async () =>
        {
            var result = await ManageUsers.UnlockAsync(db, id, ct);
            // Also the per-address lockouts this process remembers (LoginThrottle).
            if (result.Succeeded && await db.Users.Where(u => u.Id == id).Select(u => u.UserName).FirstOrDefaultAsync(ct) is { } name)
                throttle.Unlock(name);
            return result;
        }, ct);

    public async Task<IActionResult> OnPostResetAsync(string id, CancellationToken ct)
    {
        var result = await ManageUsers.ResetPasswordAsync(db, id, ct);
        if (!result.Succeeded) return this.ShowResult(result);
        db.ChangeTracker.Clear();
        if (!await LoadAsync(id, ct)) return NotFound();
        Role = Account.Role;
        OrgUnitId = Account.OrgUnitId;
        await LoadPickersAsync(ct);
        Issued = result.Value;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private async Task<IActionResult> RunAsync(string id, string saved, Func<Task<Result>> action, CancellationToken ct)
    {
        var result = await action();
        if (result.Succeeded) return Redirect($"/Users/Edit/{Uri.EscapeDataString(id)}?saved={saved}");
        if (result.Status is ResultStatus.NotFound or ResultStatus.Forbidden) return this.ShowResult(result);
        db.ChangeTracker.Clear();
        if (!await LoadAsync(id, ct)) return NotFound();
        ModelState.Clear();
        Error = result.Message;
        await LoadPickersAsync(ct);
        return this.ShowResult(result);
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var account = await ManageUsers.List(db).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (account is null) return false;
        Account = account;
        Status = account.Status(clock.GetUtcNow());
        return true;
    }

    private async Task LoadPickersAsync(CancellationToken ct)
    {
        RoleList = UserPages.RoleItems(Role);
        UnitList = UserPages.UnitItems(await ManageUsers.UnitChoicesAsync(db, ct), OrgUnitId);
    }
}
