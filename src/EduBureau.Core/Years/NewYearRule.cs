using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Years;

/// <summary>
/// A new school year is written only by roles that may open one (#14): the bureau admin (and system work). Everyone
/// else may write any year up to the latest open one — the later of the latest year in the data and the school year
/// containing today — so go-live imports of past years and the current year stay with the schools.
/// </summary>
public static class NewYearRule
{
    public static string NotOpenMessage(int year) => $"{year}学年尚未开启，只有局管理员可以开启新学年";

    public static bool MayOpenYears(UserScope scope) => scope.CanWrite && scope.Role == Roles.BureauAdmin;

    /// <summary>The latest year a role that may not open years can write: max(latest year in the data, the current school year).</summary>
    public static async Task<int> LatestOpenYearAsync(EduDbContext db, CancellationToken ct = default)
    {
        // County-wide: years are the county's, not the caller's (index seeks on the year columns).
        var years = await db.SchoolYears.AsNoTracking().MaxAsync(y => (int?)y.Year, ct);
        var rosters = await ManageUnits.CurrentYearAsync(db, ct);
        var today = SchoolYears.Containing(db.Clock.GetUtcNow());
        return Math.Max(today, Math.Max(years ?? int.MinValue, rosters ?? int.MinValue));
    }

    /// <summary>Null when the caller may write every one of <paramref name="years"/>; else the refusal naming the first new year.</summary>
    public static async Task<string?> RefusalAsync(EduDbContext db, IEnumerable<int> years, CancellationToken ct = default)
    {
        var list = years.ToList();
        if (list.Count == 0 || MayOpenYears(db.Scope)) return null;
        var open = await LatestOpenYearAsync(db, ct);
        return list.Where(y => y > open).Order().Select(y => NotOpenMessage(y)).FirstOrDefault();
    }
}
