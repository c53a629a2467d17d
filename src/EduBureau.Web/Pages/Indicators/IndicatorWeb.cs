using EduBureau.Core.Figures;
using System.Globalization;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using Microsoft.Extensions.Caching.Memory;
using EduBureau.Web.Infrastructure;

namespace EduBureau.Web.Pages.Indicators;

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

    /// <summary>Why a unit has no value, said once: "不适用：…" or the missing input ("缺少人口数据：…").</summary>
    public static string Why(IndicatorValue? v) => v switch
    {
        { NotApplicable: { } na } => "不适用：" + na,
        { Missing: { } m } => m,
        _ => "缺少数据",
    };

    /// <summary>A numerator or denominator: "25,368"; a teacher figure of a school spanning stages is a share ("1,328.1").</summary>
    public static string Count(double? x) => Num.Count(x);

    /// <summary><see cref="Count"/> for a page: a share (not a whole number) says why in its title (<see cref="Num.ShareNote"/>).</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Figure(double? x)
    {
        var text = Count(x);
        if (x is not { } v || Math.Abs(v - Math.Round(v)) < 1e-9) return new Microsoft.AspNetCore.Html.HtmlString(System.Net.WebUtility.HtmlEncode(text));
        return new Microsoft.AspNetCore.Html.HtmlString($"<span class=\"share\" title=\"{Num.ShareNote}\">{text}</span>");
    }

    /// <summary>
    /// Indicators of every year in <paramref name="years"/> for the context's scope, and the snapshot of
    /// <paramref name="current"/> for breakdowns, with when its figures were computed. Each year's snapshot is the
    /// stored one (computed once per change of the data, ADR 0012) cut to the scope; the indicators computed from a
    /// cut are kept in memory per stored version, scope and split (configuration Indicators, <see cref="IndicatorOptions"/>).
    /// </summary>
    public static async Task<(Dictionary<int, IReadOnlyList<IndicatorValue>> Values, IndicatorSnapshot Current, FigureTime Computed)> ByYearAsync(
        EduDbContext db, FigureStore store, IMemoryCache cache, IEnumerable<int> years, int current, CancellationToken ct, LevelSplitOptions? split = null)
    {
        var result = new Dictionary<int, IReadOnlyList<IndicatorValue>>();
        var (values, snapshot, computed) = await ValuesAsync(db, store, cache, current, split, ct);
        result[current] = values;
        foreach (var y in years.Where(y => y != current)) result[y] = (await ValuesAsync(db, store, cache, y, split, ct)).Values;
        return (result, snapshot, computed);
    }

    /// <summary>The indicators of one year for the context's scope (see <see cref="ByYearAsync"/>).</summary>
    public static async Task<(IReadOnlyList<IndicatorValue> Values, IndicatorSnapshot Snapshot, FigureTime Computed)> ValuesAsync(
        EduDbContext db, FigureStore store, IMemoryCache cache, int year, LevelSplitOptions? split, CancellationToken ct)
    {
        var f = await store.GetAsync(IndicatorFigures.Snapshot, year, db, ct);
        var key = $"edu:indicators:{year}:{f.Version}:{f.ComputedUtc.Ticks}:{db.Scope.PathPrefix ?? "*"}:{split}";
        if (!cache.TryGetValue(key, out (IndicatorSnapshot Snapshot, IReadOnlyList<IndicatorValue> Values) hit))
        {
            var cut = f.Value.Within(db.Scope.PathPrefix);
            hit = (cut, IndicatorEngine.Compute(cut, split));
            cache.Set(key, hit, new MemoryCacheEntryOptions
            {
                // Superseded versions are never asked for again: let them go.
                SlidingExpiration = TimeSpan.FromMinutes(10),
                Size = CacheSizes.Rows(hit.Values.Count + cut.Pupils.Count + cut.Classes.Count + cut.Staff.Count),
            });
        }
        return (hit.Values, hit.Snapshot, FigureTime.Of(f, year));
    }

    public static Breakdown ParseBreakdown(string? by) => Enum.TryParse<Breakdown>(by, true, out var b) && b != Breakdown.Total ? b : Breakdown.Township;
}
