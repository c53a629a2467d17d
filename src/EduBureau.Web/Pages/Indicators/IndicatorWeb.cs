using System.Globalization;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>A point of a trend line: a year and its value (null = 缺少数据).</summary>
public sealed record TrendPoint(int Year, double? Value, double? Target);

/// <summary>What the trend chart partial draws.</summary>
public sealed record TrendChart(string Title, string Unit, IReadOnlyList<TrendPoint> Points, bool HigherIsBetter);

/// <summary>Formatting and loading shared by the dashboard and the indicator pages.</summary>
public static class IndicatorWeb
{
    /// <summary>Rates with one decimal ("90.1%"), ratios as "12.3:1"; "—" when missing.</summary>
    public static string Format(double? value, string unit) => value is not { } v ? "—"
        : unit == ":1" ? v.ToString("0.0", CultureInfo.InvariantCulture) + ":1"
        : v.ToString("0.0", CultureInfo.InvariantCulture) + unit;

    public static string Gap(double? gap, string unit) => gap is not { } g ? "—"
        : (g > 0 ? "+" : "") + g.ToString("0.0", CultureInfo.InvariantCulture) + (unit == "%" ? " 个百分点" : "");

    public static string Count(double? x) => x is not { } v ? "—"
        : Math.Abs(v - Math.Round(v)) < 1e-9 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Indicators of every year in <paramref name="years"/> for the context's scope (one snapshot per year).</summary>
    public static async Task<Dictionary<int, IReadOnlyList<IndicatorValue>>> ByYearAsync(EduDbContext db, IEnumerable<int> years, CancellationToken ct)
    {
        var result = new Dictionary<int, IReadOnlyList<IndicatorValue>>();
        foreach (var y in years) result[y] = IndicatorEngine.Compute(await SnapshotLoader.LoadAsync(db, y, ct));
        return result;
    }

    public static Breakdown ParseBreakdown(string? by) => Enum.TryParse<Breakdown>(by, true, out var b) && b != Breakdown.Total ? b : Breakdown.Township;
}
