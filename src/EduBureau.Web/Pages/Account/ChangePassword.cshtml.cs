using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Account;

/// <summary>
/// 修改密码: for every signed-in user at any time (user menu), and the only page open to an account that must change
/// its initial or reset password (see AccountGate). The rule is PasswordPolicy plus "not the current one".
/// </summary>
public sealed class ChangePasswordModel(SignInManager<AppUser> signIn, EduDbContext db) : PageModel
{
    [BindProperty] public string CurrentPassword { get; set; } = "";
    [BindProperty] public string NewPassword { get; set; } = "";
    [BindProperty] public string ConfirmPassword { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public bool MustChange { get; private set; }
    public bool Done { get; private set; }
    public string? Error { get; private set; }

    // The /Account folder is open to anonymous callers (login), so this page checks the sign-in itself.
    public async Task<IActionResult> OnGetAsync(bool done = false)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null) return Challenge();
        MustChange = user.MustChangePassword;
        Done = done;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null) return Challenge();
        MustChange = user.MustChangePassword;
        if (string.IsNullOrEmpty(CurrentPassword)) ModelState.AddModelError(nameof(CurrentPassword), "请填写当前密码");
        if (string.IsNullOrEmpty(NewPassword)) ModelState.AddModelError(nameof(NewPassword), "请填写新密码");
        else if (NewPassword != ConfirmPassword) ModelState.AddModelError(nameof(ConfirmPassword), "两次输入的新密码不一致");
        if (!ModelState.IsValid) return Fail();

        user.MustChangePassword = false;
        var result = await signIn.UserManager.ChangePasswordAsync(user, CurrentPassword, NewPassword);
        if (!result.Succeeded)
        {
            user.MustChangePassword = MustChange;
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code == "PasswordMismatch" ? nameof(CurrentPassword) : nameof(NewPassword),
                    e.Code == "PasswordMismatch" ? "当前密码不正确" : e.Description);
            return Fail();
        }
        await signIn.RefreshSignInAsync(user);
        await db.AuditAsync("修改密码", nameof(AppUser), user.Id, MustChange ? "本人修改初始密码" : "本人修改密码", user.OrgUnitId);
        if (Url.IsLocalUrl(ReturnUrl) && ReturnUrl != "/") return LocalRedirect(ReturnUrl!);
        return Redirect("/Account/ChangePassword?done=true");
    }

    private PageResult Fail()
    {
        Error = "密码未修改，请按提示修改";
        return Page();
    }
}
