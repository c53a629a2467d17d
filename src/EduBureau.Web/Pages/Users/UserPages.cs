using EduBureau.Core.Common;
using EduBureau.Core.Security;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace EduBureau.Web.Pages.Users;

/// <summary>What the 用户管理 pages share: the bureau's clock for display, and the role and unit pickers.</summary>
public static class UserPages
{
    /// <summary>China has one time zone; times are stored UTC and shown as the bureau reads its clock.</summary>
    public static readonly TimeZoneInfo BureauZone = FindZone();

    private static TimeZoneInfo FindZone()
    {
        foreach (var id in new[] { "Asia/Shanghai", "China Standard Time" })
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return zone;
        return TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "北京时间", "北京时间");
    }

    /// <summary>"2026-12-07 08:15" in bureau time, or "从未登录".</summary>
    public static string Local(DateTime? utc, string never = "—") => utc is { } t
        ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(t, DateTimeKind.Utc), BureauZone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)
        : never;

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
