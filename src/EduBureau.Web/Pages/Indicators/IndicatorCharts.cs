using System.Globalization;
using EduBureau.Core.Indicators;
using EduBureau.Core.Plans;

namespace EduBureau.Web.Pages.Indicators;

/// <summary>A value axis: from <see cref="Min"/> to <see cref="Max"/> in steps of <see cref="Interval"/>.</summary>
public sealed record AxisRange(double Min, double Max, double Interval);

/// <summary>Units of a breakdown left out of its bar chart, said under the chart.</summary>
public sealed record BreakdownLeftOut(IReadOnlyList<string> NotApplicable, IReadOnlyList<string> Missing);

/// <summary>
/// The ECharts options of the indicator pages (issue #15): trends, breakdown bars and the 优质均衡 grid, built as
/// plain objects that <see cref="Infrastructure.EChart.Box"/> writes into the page. The axis range is a pure function.
/// </summary>
public static class IndicatorCharts
{
    private const string Blue = "#2b6cb0", Red = "#c53030", Amber = "#b7791f", Green = "#2f855a", Grey = "#a0aec0";

    /// <summary>
    /// A "nice" value axis fitted to <paramref name="values"/> (the data and the targets): about four steps of 1, 2 or 5
    /// × 10ⁿ, the ends rounded outwards to a step, one more step when a value falls on an end so it does not sit on the
    /// axis (88.2 … 95 → 88–96 by 2; 90 … 95 → 88–96). Never below 0 for non-negative data, and a percent axis never above 100 unless
    /// a value is. Not from 0: 88–90 % lines must not look flat.
    /// </summary>
    public static AxisRange NiceRange(IEnumerable<double> values, bool percent)
    {
        var xs = values.Where(double.IsFinite).ToList();
        if (xs.Count == 0) return percent ? new(0, 100, 20) : new(0, 1, 0.2);
        double lo = xs.Min(), hi = xs.Max();
        var span = hi - lo;
        // All values equal: a window of about a tenth of the value (at least 10 points for a percent, 2 otherwise).
        if (span < 1e-9) span = Math.Max(Math.Abs(hi) * 0.1, percent ? 10 : 2);
        var step = NiceStep(span / 4);
        var min = Round(Math.Floor(lo / step) * step);
        var max = Round(Math.Ceiling(hi / step) * step);
        if (min >= lo - 1e-9) min = Round(min - step);
        if (max <= hi + 1e-9 && !(percent && hi >= 100 - 1e-9)) max = Round(max + step);
        if (lo >= 0 && min < 0) min = 0;
        if (percent && hi <= 100 && max > 100) max = 100;
        return new(min, max, step);
    }

    /// <summary>The smallest of 1, 2, 5 × 10ⁿ not below <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0)) return 1;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / mag;
        return Round((f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) * mag);
    }

    private static double Round(double x) => Math.Round(x, 10);

    private static bool IsPercent(string unit) => unit == "%";

    /// <summary>Tooltip / label formatters of charts.js for the unit.</summary>
    private static (string Value, string Label) Formatters(string unit) => unit switch
    {
        "%" => ("fn:pct1", "fn:labelPct1"),
        ":1" => ("fn:ratio1", "fn:labelRatio1"),
        _ => ("fn:num1", "fn:labelNum1"),
    };

    private static string Num(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string TargetText(double t, string unit) => "目标 " + Num(t) + (unit == ":1" ? ":1" : unit);

    /// <summary>
    /// A trend: the value per year (a line; a bar with its value and "仅一年数据" when only one year has a value), the
    /// target as a dashed red line labelled with its value, every year on the axis, the axis fitted to the data.
    /// </summary>
    public static object Trend(TrendChart t)
    {
        var (fmt, label) = Formatters(t.Unit);
        var valued = t.Points.Count(p => p.Value is not null);
        var single = valued == 1;
        var range = NiceRange(t.Points.SelectMany(p => new[] { p.Value, p.Target }).OfType<double>(), IsPercent(t.Unit));
        var series = new List<object>
        {
            single
                ? new
                {
                    name = "实际值", type = "bar", barMaxWidth = 36, itemStyle = new { color = Blue },
                    label = new { show = true, position = "top", formatter = label },
                    data = t.Points.Select(p => p.Value).ToArray(),
                }
                : new
                {
                    name = "实际值", type = "line", itemStyle = new { color = Blue }, lineStyle = new { width = 2 }, symbolSize = 6,
                    connectNulls = false, data = t.Points.Select(p => p.Value).ToArray(), showAllSymbol = true,
                } as object,
        };
        if (t.Points.LastOrDefault(p => p.Target is not null) is { Target: { } last })
            series.Add(new
            {
                name = "目标", type = "line", symbol = t.Points.Count(p => p.Target is not null) == 1 ? "rect" : "none",
                itemStyle = new { color = Red }, lineStyle = new { type = "dashed", width = 1.5 },
                data = t.Points.Select(p => p.Target).ToArray(),
                endLabel = new { show = true, formatter = TargetText(last, t.Unit), color = Red, fontSize = 11 },
            });
        var note = valued == 0 ? "缺少数据" : single ? "仅一年数据" : null;
        return new
        {
            animation = false,
            title = new { text = $"{t.Title}（{t.Unit}）", subtext = note, left = 0, top = 0, textStyle = new { fontSize = 13 }, subtextStyle = new { fontSize = 11, color = "#666" } },
            // Room on top for the title (and its note) above the axis name, and on the right for the target's label.
            grid = new { left = 8, right = 64, top = note is null ? 48 : 62, bottom = 8, containLabel = true },
            tooltip = new { trigger = "axis", valueFormatter = fmt, confine = true },
            xAxis = new
            {
                type = "category", boundaryGap = true, data = t.Points.Select(p => p.Year.ToString(CultureInfo.InvariantCulture)).ToArray(),
                axisLabel = new { interval = 0, hideOverlap = false, fontSize = 10 },
            },
            yAxis = new
            {
                type = "value", min = range.Min, max = range.Max, interval = range.Interval,
                name = t.Unit == ":1" ? "比值" : t.Unit, nameGap = 8, nameTextStyle = new { fontSize = 10, align = "right" },
                axisLabel = new { fontSize = 10 },
            },
            series,
        };
    }

    /// <summary>
    /// The bar chart of a breakdown: one bar per unit with a value, in the table's order (worst first), coloured by its
    /// check against the target, the target(s) as dashed mark lines with their value; horizontal beyond
    /// <see cref="HorizontalFrom"/> units so names stay readable on a phone. 不适用 and 缺少数据 units are left out and
    /// returned so the page names them under the chart.
    /// </summary>
    public static (object Option, int Height, BreakdownLeftOut LeftOut) BreakdownBars(
        IndicatorDefinition def, Breakdown by, IReadOnlyList<(IndicatorGroup Unit, IndicatorValue? Value, TargetCheck Check)> units)
    {
        var (fmt, label) = Formatters(def.Unit);
        var bars = units.Where(u => u.Value?.Value is not null).ToList();
        var leftOut = new BreakdownLeftOut(
            units.Where(u => u.Value is { IsNotApplicable: true }).Select(u => u.Unit.Name).ToList(),
            units.Where(u => u.Value is not { IsNotApplicable: true } && u.Value?.Value is null).Select(u => u.Unit.Name).ToList());
        var targets = bars.Select(u => u.Check.Target).OfType<double>().Distinct().Order().ToList();
        var range = NiceRange(bars.Select(u => u.Value!.Value!.Value).Concat(targets), IsPercent(def.Unit));
        var horizontal = bars.Count > HorizontalFrom;
        var names = bars.Select(u => u.Unit.Name).ToArray();
        var valueAxis = new { type = "value", min = range.Min, max = range.Max, interval = range.Interval, axisLabel = new { fontSize = 10 } };
        var categoryAxis = new
        {
            type = "category", data = names, inverse = horizontal,
            axisLabel = horizontal
                ? new { interval = 0, fontSize = 11, width = 96, overflow = "truncate", rotate = 0 }
                : new { interval = 0, fontSize = 11, width = 72, overflow = "break", rotate = 0 },
        };
        var series = new
        {
            name = def.Name, type = "bar", barMaxWidth = 28,
            label = new { show = true, position = horizontal ? "right" : "top", formatter = label, fontSize = 10 },
            data = bars.Select(u => new { name = u.Unit.Name, value = u.Value!.Value!.Value, itemStyle = new { color = Color(u.Check.State) } }).ToArray(),
            markLine = targets.Count == 0 ? null : new
            {
                symbol = "none", silent = true, lineStyle = new { color = Red, type = "dashed", width = 1.5 },
                label = new { position = horizontal ? "start" : "insideEndTop", color = Red, fontSize = 10 },
                data = targets.Select(t => horizontal
                    ? (object)new { xAxis = t, name = "目标", label = new { formatter = TargetText(t, def.Unit) } }
                    : new { yAxis = t, name = "目标", label = new { formatter = TargetText(t, def.Unit) } }).ToArray(),
            },
        };
        var height = horizontal ? Math.Max(240, 26 * bars.Count + 90) : 300;
        object option = new
        {
            animation = false,
            title = new { text = $"{def.Name}（{def.Unit}）按{IndicatorEngine.BreakdownLabel(by)}", left = 0, top = 0, textStyle = new { fontSize = 13 } },
            grid = new { left = 8, right = horizontal ? 48 : 16, top = 44, bottom = 8, containLabel = true },
            tooltip = new { trigger = "axis", axisPointer = new { type = "shadow" }, valueFormatter = fmt, confine = true },
            xAxis = horizontal ? (object)valueAxis : categoryAxis,
            yAxis = horizontal ? (object)categoryAxis : valueAxis,
            series = new[] { series },
        };
        return (option, height, leftOut);
    }

    /// <summary>More units than this: horizontal bars (a phone is 390 px wide).</summary>
    public const int HorizontalFrom = 6;

    private static string Color(Rag state) => state switch { Rag.Red => Red, Rag.Amber => Amber, Rag.Green => Green, _ => Blue };

    /// <summary>Short column names of the 7 优质均衡 indicators for the grid chart (the table has the full names).</summary>
    public static readonly IReadOnlyList<string> BalanceShortNames = ["高学历教师", "骨干教师", "体艺教师", "教学用房", "体育场馆", "仪器设备", "多媒体教室"];

    /// <summary>
    /// 优质均衡 as a grid chart: schools × 7 indicators, each cell 达标 (green), 未达标 (red) or 缺少数据 (grey); the
    /// tooltip names the school, the indicator, the value and the line.
    /// </summary>
    public static (object Option, int Height) Balance(BalanceResult b)
    {
        var cells = new List<object>();
        for (var j = 0; j < b.Schools.Count; j++)
        {
            var s = b.Schools[j];
            for (var i = 0; i < 7; i++)
            {
                var ind = BalanceEngine.Indicators[i];
                var state = s.Values[i] is null ? 2 : s.Reached[i] ? 0 : 1;
                var value = s.Values[i] is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "缺少数据";
                cells.Add(new
                {
                    value = new[] { i, j, state },
                    name = $"{s.Name}<br>{ind.Number}. {ind.Name}：{value} {ind.Unit}（标准 ≥ {Num(ind.Line(b.Stage))}）{(state == 0 ? "达标" : state == 1 ? "未达标" : "")}",
                });
            }
        }
        var option = new
        {
            animation = false,
            title = new { text = $"{(b.Stage == Stage.Junior ? "初中" : "小学")}各校 7 项指标达标情况", left = 0, top = 0, textStyle = new { fontSize = 13 } },
            grid = new { left = 8, right = 8, top = 40, bottom = 44, containLabel = true },
            tooltip = new { formatter = "fn:labelName", confine = true },
            xAxis = new
            {
                type = "category", position = "top", data = BalanceShortNames, splitArea = new { show = true },
                axisLabel = new { interval = 0, fontSize = 10, rotate = 40 },
            },
            yAxis = new
            {
                type = "category", inverse = true, data = b.Schools.Select(s => s.Name).ToArray(), splitArea = new { show = true },
                axisLabel = new { interval = 0, fontSize = 11, width = 96, overflow = "truncate" },
            },
            visualMap = new
            {
                type = "piecewise", dimension = 2, orient = "horizontal", left = "center", bottom = 0, itemWidth = 14, itemHeight = 10,
                pieces = new object[]
                {
                    new { value = 0, label = "达标", color = Green },
                    new { value = 1, label = "未达标", color = Red },
                    new { value = 2, label = "缺少数据", color = Grey },
                },
            },
            series = new[]
            {
                new { name = "优质均衡", type = "heatmap", data = cells, itemStyle = new { borderColor = "#fff", borderWidth = 1 } },
            },
        };
        return (option, Math.Max(220, 22 * b.Schools.Count + 130));
    }
}
