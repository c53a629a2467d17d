using System.Globalization;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;
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
    /// Indicators of every year in <paramref name="years"/> for the context's scope (one snapshot per year), and the
    /// snapshot of <paramref name="current"/> for breakdowns. The current year is always computed fresh; earlier years
    /// (trend points, which change rarely) are cached per scope for <paramref name="pastYearCache"/>
    /// (configuration Cache:PastYearIndicatorsMinutes, default 10 minutes), or until <paramref name="expires"/>
    /// fires (<see cref="DataChanges.Token"/>, which every committed write signals: an import or a new year shows at once).
    /// Mixed schools are split by <paramref name="split"/> (configuration Indicators, <see cref="IndicatorOptions"/>).
    /// </summary>
    public static async Task<(Dictionary<int, IReadOnlyList<IndicatorValue>> Values, IndicatorSnapshot Current)> ByYearAsync(
        EduDbContext db, IMemoryCache cache, IEnumerable<int> years, int current, CancellationToken ct, IChangeToken expires,
        LevelSplitOptions? split = null, TimeSpan? pastYearCache = null)
    {
        var result = new Dictionary<int, IReadOnlyList<IndicatorValue>>();
        var snapshot = await SnapshotLoader.LoadAsync(db, current, ct);
        result[current] = IndicatorEngine.Compute(snapshot, split);
        foreach (var y in years.Where(y => y != current))
        {
            var key = $"edu:indicators:{db.Unrestricted}:{db.ScopePath}:{y}";
            if (!cache.TryGetValue(key, out IReadOnlyList<IndicatorValue>? values) || values is null)
            {
                values = IndicatorEngine.Compute(await SnapshotLoader.LoadAsync(db, y, ct), split);
                if (y < current)
                {
                    var entry = new MemoryCacheEntryOptions
                    {
                        AbsoluteExpirationRelativeToNow = pastYearCache ?? TimeSpan.FromMinutes(new CacheOptions().PastYearIndicatorsMinutes),
                        Size = CacheSizes.Rows(values.Count),
                    };
                    entry.AddExpirationToken(expires);
                    cache.Set(key, values, entry);
                }
            }
            result[y] = values;
        }
        return (result, snapshot);
    }

    public static Breakdown ParseBreakdown(string? by) => Enum.TryParse<Breakdown>(by, true, out var b) && b != Breakdown.Total ? b : Breakdown.Township;
}
