using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Account;

public sealed class LoginModel(SignInManager<AppUser> signIn, EduDbContext db, TimeProvider clock, LoginThrottle throttle) : PageModel
{
    public const string DisabledMessage = "账号已停用，请联系局管理员";
    public const string EmptyMessage = "请输入用户名和密码";
    public const string WrongMessage = "用户名或密码错误";

    // Formats with the minutes as {0}: one localizer key each (Resources/SharedResource.en.resx).
    public const string TooManyFormat = "尝试过于频繁，请 {0} 分钟后再试";
    public const string LockedFormat = "登录失败次数过多，账号已锁定 {0} 分钟";

    // An unknown user name costs one password hash too, so the answer takes as long as for a real account.
    private static string? _dummyHash;

    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }
    /// <summary>The {0} of <see cref="Error"/> when it is a format (minutes to wait).</summary>
    public int? ErrorMinutes { get; private set; }

    /// <summary>
    /// "某某县教育局" for the login card: the bureau's county when the data holds exactly one (a label, read across the
    /// scope since nobody is signed in yet); null on an empty installation or a multi-county one.
    /// </summary>
    public string? BureauName => _bureauName ??= db.OrgUnits.CountyWide()
        .Where(u => u.Kind == OrgUnitKind.County && u.ClosedOn == null).OrderBy(u => u.Id).Select(u => u.Name).Take(2).ToList() is [var county]
        ? county + "教育局" : "";
    private string? _bureauName;

    public void OnGet(bool disabled = false)
    {
        if (disabled) Error = DisabledMessage;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // An empty field binds as null (not ""): answer with the form's message rather than a null dereference.
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = EmptyMessage;
            return Page();
        }
        var address = HttpContext.Connection.RemoteIpAddress;
        if (throttle.AddressBlockedMinutes(address) is { } wait)
        {
            (Error, ErrorMinutes) = (TooManyFormat, wait);
            var page = Page();
            page.StatusCode = StatusCodes.Status429TooManyRequests;
            return page;
        }
        var name = UserName.Trim();
        if (throttle.AccountLockedMinutes(name, address) is { } locked)
        {
            (Error, ErrorMinutes) = (LockedFormat, locked);
            return Page();
        }
        var users = signIn.UserManager;
        var user = await users.FindByNameAsync(name);
        if (user is null)
        {
            var hasher = users.PasswordHasher;
            var dummy = new AppUser { UserName = name, Role = "" };
            _dummyHash ??= hasher.HashPassword(dummy, Guid.NewGuid().ToString("N"));
            hasher.VerifyHashedPassword(dummy, _dummyHash, Password);
            return await FailedAsync(null, name, address);
        }
        // A disabled account is named as such only to someone who knows its password.
        if (user.Disabled)
            return await users.CheckPasswordAsync(user, Password) ? Refused(DisabledMessage) : await FailedAsync(user, name, address);
        // Identity's own lockout is off here (it would lock the account for everyone): LoginThrottle counts per account and address.
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            throttle.RecordSuccess(name, address);
            user.LastLoginUtc = clock.GetUtcNow().UtcDateTime;
            try { await db.SaveChangesAsync(); }
            // The last sign-in time is bookkeeping: while an import holds SQLite's write lock the user still gets in.
            catch (Exception e) when (Core.Data.WriteLock.IsBusy(e)) { db.ChangeTracker.Clear(); }
            var target = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
            return user.MustChangePassword
                ? LocalRedirect(AccountGate.ChangePasswordPath + QueryString.Create("ReturnUrl", target))
                : LocalRedirect(target);
        }
        // Locked by the stored lockout (set before this rule, or by an operator): lifted by 解锁 or `edu users unlock`.
        return result.IsLockedOut ? Refused("账号已锁定，请稍后再试或联系局管理员解锁")
            : result.IsNotAllowed ? Refused(DisabledMessage)
            : await FailedAsync(user, name, address);
    }

    private async Task<PageResult> FailedAsync(AppUser? user, string name, System.Net.IPAddress? address)
    {
        throttle.RecordFailure(name, address);
        // Audited as 登录失败 under the account's name (#15); like the last sign-in time, skipped while an import holds SQLite's write lock.
        try { await db.AuditSignInFailureAsync(user); }
        catch (Exception e) when (Core.Data.WriteLock.IsBusy(e)) { db.ChangeTracker.Clear(); }
        return Refused(WrongMessage);
    }

    private PageResult Refused(string message)
    {
        Error = message;
        return Page();
    }
}
