using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Account;

/// <summary>The top bar's scope and year switch. The choice is only a narrowing: <see cref="CurrentView"/> ignores units outside the user's rights.</summary>
[Authorize]
public sealed class ViewModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public IActionResult OnPost(int? unit, int? year, string? returnUrl)
    {
        var cookie = new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true };
        if (unit is { } u) Response.Cookies.Append(CurrentView.UnitCookie, u.ToString(System.Globalization.CultureInfo.InvariantCulture), cookie);
        if (year is { } y) Response.Cookies.Append(CurrentView.YearCookie, y.ToString(System.Globalization.CultureInfo.InvariantCulture), cookie);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
