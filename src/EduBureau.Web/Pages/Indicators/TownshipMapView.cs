using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Organization;
using EduBureau.Core.Plans;
using EduBureau.Core.Security;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>One township on the map: its value (null: grey) and the tooltip text (value with unit, or 不适用/缺少数据 and why).</summary>
public sealed record TownshipMapValue(string Name, double? Value, string Text);

/// <summary>
/// What _TownshipMap draws under a breakdown by township: an ECharts map of the county's uploaded boundaries coloured
/// by the indicator (split at the plan's target when there is one), or for the 局管理员 a link to upload boundaries.
/// </summary>
public sealed class TownshipMapView
{
    public required string Title { get; init; }
    public required string Unit { get; init; }
    public required IReadOnlyList<TownshipMapValue> Values { get; init; }
    public double? Target { get; init; }
    public Comparator Comparator { get; init; } = Comparator.AtLeast;
    public bool HasMap { get; init; }
    public bool CanUpload { get; init; }

    public const string Grey = "#d0d0d0";

    /// <summary>
    /// The map for a breakdown page, or null when there is nothing to show (not by township; no map and not the admin).
    /// Built from what the indicator page already has: the definition and its worst-first rows.
    /// </summary>
    public static async Task<TownshipMapView?> ForAsync(EduDbContext db, IndicatorDefinition def, Breakdown by,
        IEnumerable<(IndicatorGroup Unit, IndicatorValue? Value, TargetCheck Check)> units, CancellationToken ct)
    {
        if (by != Breakdown.Township) return null;
        var hasMap = await TownshipMaps.ExistsAsync(db, ct);
        var canUpload = db.Scope.Role == Roles.BureauAdmin;
        if (!hasMap && !canUpload) return null;
        var rows = units.ToList();
        var target = rows.Select(u => u.Check).FirstOrDefault(c => c.Target is not null);
        return new TownshipMapView
        {
            Title = def.Name, Unit = def.Unit, HasMap = hasMap, CanUpload = canUpload,
            Target = target?.Target, Comparator = target?.Comparator ?? Comparator.AtLeast,
            Values = [.. rows.Select(u => u.Value is { Value: { } v }
                ? new TownshipMapValue(u.Unit.Name, Math.Round(v, 1), IndicatorWeb.Format(v, def.Unit))
                : new TownshipMapValue(u.Unit.Name, null, IndicatorWeb.Why(u.Value)))],
        };
    }

    /// <summary>The ECharts option (map name "county", registered from /api/org/township-map by charts.js).</summary>
    public object Option()
    {
        var numbers = Values.Where(v => v.Value is not null).Select(v => v.Value!.Value).ToList();
        return new
        {
            title = new { text = $"{Title}（{UnitLabel}）", left = "center", top = 0, textStyle = new { fontSize = 14 } },
            tooltip = new { trigger = "item", formatter = "fn:mapTip" },
            visualMap = Target is { } t ? Pieces(t) : Scale(numbers),
            series = new object[]
            {
                new
                {
                    type = "map", map = "county", roam = false, top = 36, bottom = 56, aspectScale = 0.85,
                    label = new { show = true, fontSize = 11, color = "#1a202c" },
                    select = new { disabled = true },
                    // Grey for 不适用/缺少数据: no value, so outside the visualMap's range (its outOfRange colour) and this style.
                    data = Values.Select(v => v.Value is { } x
                        ? (object)new { name = v.Name, value = x, text = v.Text }
                        : new { name = v.Name, text = v.Text, itemStyle = new { areaColor = Grey } }).ToList(),
                },
            },
        };
    }

    private string UnitLabel => Unit == "%" ? "%" : Unit == ":1" ? "比值" : Unit.Length == 0 ? "数值" : Unit;

    private string Fmt(double v) => IndicatorWeb.Format(v, Unit);

    /// <summary>
    /// Three colours as on the cards and the bar chart: 达标 green, 接近 amber (within <see cref="PlanEvaluation.AmberBand"/>
    /// of the target), 未达标 red; the comparator decides which side is which.
    /// </summary>
    private object Pieces(double t)
    {
        var band = PlanEvaluation.AmberBand(t);
        return new
        {
            type = "piecewise", orient = "horizontal", left = "center", bottom = 0, itemWidth = 14, itemHeight = 10,
            outOfRange = new { color = Grey },
            pieces = Comparator == Comparator.AtLeast
                ? new object[]
                {
                    new { gte = t, label = $"达标（≥ {Fmt(t)}）", color = "#4caf50" },
                    new { gte = t - band, lt = t, label = "接近", color = "#f6ad55" },
                    new { lt = t - band, label = $"未达标（< {Fmt(t - band)}）", color = "#e57373" },
                }
                : [
                    new { lte = t, label = $"达标（≤ {Fmt(t)}）", color = "#4caf50" },
                    new { gt = t, lte = t + band, label = "接近", color = "#f6ad55" },
                    new { gt = t + band, label = $"未达标（> {Fmt(t + band)}）", color = "#e57373" },
                ],
        };
    }

    /// <summary>No target: a light-to-dark scale over the townships' range.</summary>
    private static object Scale(List<double> numbers)
    {
        var min = numbers.Count > 0 ? Math.Floor(numbers.Min()) : 0;
        var max = numbers.Count > 0 ? Math.Ceiling(numbers.Max()) : 1;
        if (max <= min) max = min + 1;
        return new
        {
            type = "continuous", orient = "horizontal", left = "center", bottom = 0, min, max, precision = 1, calculable = false,
            itemWidth = 12, itemHeight = 160, text = new[] { "高", "低" },
            inRange = new { color = new[] { "#deebf7", "#3182bd" } }, outOfRange = new { color = Grey },
        };
    }
}
