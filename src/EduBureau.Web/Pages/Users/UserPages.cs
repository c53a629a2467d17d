using EduBureau.Core.Common;
using EduBureau.Core.Security;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace EduBureau.Web.Pages.Users;

/// <summary>
/// What the 用户管理 pages share: the role and unit pickers. Times are stored UTC and shown in the bureau's zone by
/// <see cref="Infrastructure.BureauTime"/> (configuration TimeZone:Id, default Asia/Shanghai).
/// </summary>
public static class UserPages
{
    public static List<SelectListItem> RoleItems(string? selected) =>
        Roles.All.Select(r => new SelectListItem(Roles.Label(r), r, r == selected)).ToList();

    /// <summary>The unit tree as a drop-down, indented by depth, with the kind so the role fit is visible.</summary>
    public static List<SelectListItem> UnitItems(IReadOnlyList<UnitChoice> units, int? selected)
    {
        var top = units.Count == 0 ? 0 : units.Min(u => u.Depth);
        return units.Select(u => new SelectListItem(
            new string('　', u.Depth - top) + u.Name + "（" + u.Kind.Zh() + (u.Code is { Length: > 0 } c ? " " + c : "") + "）",
            u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), u.Id == selected)).ToList();
    }
}
