using System.Security.Claims;
using EduBureau.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>Puts the user's role and root unit into the cookie so scoping needs no lookup per request.</summary>
internal sealed class EduClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        identity.AddClaim(new Claim(CurrentView.UnitClaim, user.OrgUnitId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(user.DisplayName)) identity.AddClaim(new Claim("edu:display", user.DisplayName));
        return identity;
    }
}
