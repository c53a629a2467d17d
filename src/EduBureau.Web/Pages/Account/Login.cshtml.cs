using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Account;

public sealed class LoginModel(SignInManager<AppUser> signIn, EduDbContext db, TimeProvider clock) : PageModel
{
    public const string DisabledMessage = "账号已停用，请联系局管理员";
    public const string EmptyMessage = "请输入用户名和密码";

    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

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
        var name = UserName.Trim();
        var user = await signIn.UserManager.FindByNameAsync(name);
        // A disabled account is named as such only to someone who knows its password.
        if (user is { Disabled: true })
        {
            Error = await signIn.UserManager.CheckPasswordAsync(user, Password) ? DisabledMessage : "用户名或密码错误";
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(name, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded && user is not null)
        {
            user.LastLoginUtc = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync();
            var target = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
            return user.MustChangePassword
                ? LocalRedirect(AccountGate.ChangePasswordPath + QueryString.Create("ReturnUrl", target))
                : LocalRedirect(target);
        }
        Error = result.IsLockedOut ? "登录失败次数过多，账号已锁定 15 分钟"
            : result.IsNotAllowed ? DisabledMessage
            : "用户名或密码错误";
        return Page();
    }
}
