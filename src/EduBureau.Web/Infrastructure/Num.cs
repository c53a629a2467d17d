using System.Globalization;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// How pages show figures (#15): counts with thousands separators ("59,230"); a figure that may be a share (a teacher
/// who teaches at two schools counts by share, 折合) with at most one decimal ("1,328.1"). Ids and codes are not
/// figures: pages print them as they are.
/// </summary>
public static class Num
{
    /// <summary>Why a teacher figure can have a decimal: said next to it (title or note) wherever one is shown.</summary>
    public const string ShareNote = "跨学段学校（九年一贯制等）的教师按各学段在校生比例折算，故可有小数（折合数）";

    public static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(int? n) => n is { } v ? Count(v) : "—";

    /// <summary>A whole number as a count; else one decimal ("1,328.1"); "—" when missing.</summary>
    public static string Count(double? x) => x is not { } v ? "—"
        : Math.Abs(v - Math.Round(v)) < 1e-9 ? v.ToString("#,0", CultureInfo.InvariantCulture) : v.ToString("#,0.0", CultureInfo.InvariantCulture);
}
