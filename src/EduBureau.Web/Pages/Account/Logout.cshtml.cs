using EduBureau.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Account;

public sealed class LogoutModel(SignInManager<AppUser> signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        // Deleting the browser's cookie is not enough: a copy of it would stay valid until it expires. A new security
        // stamp makes AccountGate refuse every cookie issued before it, on the next request.
        if (await signIn.UserManager.GetUserAsync(User) is { } user) await signIn.UserManager.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        Response.Cookies.Delete(Infrastructure.CurrentView.UnitCookie);
        return Redirect("/Account/Login");
    }
}
