using EduBureau.Core.Exams;

namespace EduBureau.Web.Pages.Exams;

/// <summary>
/// The Apache ECharts options of the exam pages (issue #15), built from the cached report: score distribution, school
/// means and value added vs intake. Plain anonymous objects shaped like the ECharts option (EChart.Box writes them as
/// JSON); every number goes through <see cref="ExamReport.Exact"/>, and axes get round ticks (1/2/5 × 10^k).
/// </summary>
public static class ExamEcharts
{
    /// <summary>A round step (1, 2 or 5 × 10^k) of at least <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0) || !double.IsFinite(raw)) return 1;
        var p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var m in new[] { 1.0, 2, 5, 10 }) if (m * p >= raw * (1 - 1e-9)) return ExamReport.Exact(m * p);
        return 10 * p;
    }

    /// <summary>Axis bounds on multiples of a round step, with about <paramref name="ticks"/> intervals over the data.</summary>
    public static (double Min, double Max, double Step) NiceAxis(double lo, double hi, int ticks = 5)
    {
        if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
        var step = NiceStep((hi - lo) / ticks);
        return (ExamReport.Exact(Math.Floor(lo / step) * step), ExamReport.Exact(Math.Ceiling(hi / step) * step), step);
    }

    /// <summary>Histogram bin width: the smallest round step giving at most 20 bins over full marks (100 → 5, 120 → 10, 750 → 50).</summary>
    public static double BinWidth(double fullMarks) => NiceStep(fullMarks / 20);

    /// <summary>Counts per bin of every pupil who sat subject <paramref name="s"/> (S = 总分); the last bin includes full marks.</summary>
    public static (double Width, int[] Counts) Bins(ExamAnalysisResult r, int s)
    {
        var full = r.FullMarks[s];
        var w = BinWidth(full);
        var counts = new int[Math.Max(1, (int)Math.Ceiling(full / w - 1e-9))];
        for (var p = 0; p < r.Data.PupilCount; p++)
            if (r.Ranks[s][p] > 0) counts[Math.Clamp((int)Math.Floor(r.ScoreOf(p, s) / w + 1e-9), 0, counts.Length - 1)]++;
        return (w, counts);
    }

    /// <summary>
    /// The county histogram of subject <paramref name="s"/>: bars at the bin centres on a value axis (so the 及格/优秀
    /// lines sit at their exact score), counts on top; data items carry name "lo–hi" and value [centre, count].
    /// </summary>
    public static object Distribution(ExamAnalysisResult r, int s)
    {
        var (w, counts) = Bins(r, s);
        var full = r.FullMarks[s];
        var step = NiceStep(full / 10);
        var name = r.SubjectNames[s];
        return new
        {
            title = new { text = $"{name}分数分布（全县，人数）", left = "center", textStyle = new { fontSize = 14 } },
            tooltip = new { trigger = "item" },
            grid = new { left = 8, right = 24, top = 56, bottom = 8, containLabel = true },
            xAxis = new
            {
                type = "value", name = "分数（分）", nameLocation = "middle", nameGap = 26, min = 0, max = full, interval = step,
                axisLabel = new { hideOverlap = true },
            },
            yAxis = new { type = "value", name = "人数", minInterval = 1 },
            series = new object[]
            {
                new
                {
                    type = "bar", name = "人数", barWidth = "92%", encode = new { x = 0, y = 1, tooltip = new[] { 1 } },
                    label = new { show = true, position = "top", formatter = "fn:labelInt", fontSize = 10 },
                    labelLayout = new { hideOverlap = true },
                    data = counts.Select((n, b) => new
                    {
                        name = $"{ExamReport.Exact(b * w):0.##}–{ExamReport.Exact(Math.Min(full, (b + 1) * w)):0.##}",
                        value = new[] { ExamReport.Exact((b + 0.5) * w), n },
                    }).ToArray(),
                    markLine = new
                    {
                        symbol = "none", silent = true,
                        label = new { formatter = "{b} {c}", position = "insideEndTop" },
                        data = new object[]
                        {
                            new { name = "及格线", xAxis = ExamReport.Exact(r.PassLines[s]), lineStyle = new { color = "#2f855a", type = "dashed" } },
                            new { name = "优秀线", xAxis = ExamReport.Exact(r.ExcellentLines[s]), lineStyle = new { color = "#c05621", type = "dashed" } },
                        },
                    },
                },
            },
        };
    }

    /// <summary>
    /// School means of subject <paramref name="s"/>, highest first, as horizontal bars (long Chinese names read on a phone),
    /// the county mean as a line. The value axis starts at a round step below the lowest mean so differences show.
    /// </summary>
    public static object SchoolMeans(string subject, IReadOnlyList<(string Name, double Mean)> schools, double countyMean)
    {
        var sorted = schools.OrderByDescending(x => x.Mean).ToList();
        var lo = sorted.Count > 0 ? Math.Min(sorted.Min(x => x.Mean), countyMean) : 0;
        var hi = sorted.Count > 0 ? Math.Max(sorted.Max(x => x.Mean), countyMean) : 1;
        var (min, max, step) = NiceAxis(lo, hi);
        min = Math.Max(0, min - step);
        return new
        {
            title = new { text = $"各校{subject}平均分（分）", left = "center", textStyle = new { fontSize = 14 } },
            tooltip = new { trigger = "axis", axisPointer = new { type = "shadow" }, valueFormatter = "fn:num1" },
            grid = new { left = 8, right = 40, top = 48, bottom = 8, containLabel = true },
            xAxis = new { type = "value", name = "分", min, max, interval = step, axisLabel = new { hideOverlap = true } },
            yAxis = new { type = "category", inverse = true, data = sorted.Select(x => x.Name).ToArray(), axisLabel = new { width = 110, overflow = "truncate" } },
            series = new object[]
            {
                new
                {
                    type = "bar", name = "平均分", data = sorted.Select(x => ExamReport.Exact(x.Mean)).ToArray(),
                    label = new { show = true, position = "right", formatter = "fn:labelNum1", fontSize = 10 },
                    markLine = new
                    {
                        symbol = "none", silent = true, label = new { formatter = "全县 {c}", position = "end" },
                        data = new object[] { new { name = "全县平均", xAxis = ExamReport.Exact(Math.Round(countyMean, 1)) } },
                    },
                },
            },
        };
    }

    /// <summary>One unit on the value-added chart: intake (earlier mean), value added with its 95 % interval.</summary>
    /// <param name="Own">The user's own school (a school or township user looking at the county): drawn red and larger.</param>
    public sealed record VaPoint(string Name, double Intake, double Value, double Lo, double Hi, int Matched, bool Own = false);

    /// <summary>
    /// Value added (y, points, shrunk regression view) against intake (x): each point labelled with its unit's name
    /// (labels hide where they overlap), a vertical 95 % interval per point (a "lines" series on the same grid), a zero
    /// line, round ticks on both axes.
    /// </summary>
    public static object ValueAdded(string title, IReadOnlyList<VaPoint> points)
    {
        var (x0, x1, xs) = points.Count > 0 ? NiceAxis(points.Min(p => p.Intake), points.Max(p => p.Intake)) : (0, 1, 1);
        var (y0, y1, ys) = points.Count > 0 ? NiceAxis(Math.Min(0, points.Min(p => p.Lo)), Math.Max(0, points.Max(p => p.Hi))) : (-1, 1, 1);
        return new
        {
            title = new { text = title, left = "center", textStyle = new { fontSize = 14 } },
            tooltip = new { trigger = "item" },
            grid = new { left = 8, right = 24, top = 56, bottom = 8, containLabel = true },
            xAxis = new { type = "value", name = "入口：参照考试平均分（分）", nameLocation = "middle", nameGap = 26, min = x0, max = x1, interval = xs, axisLabel = new { hideOverlap = true } },
            yAxis = new { type = "value", name = "增值（分）", min = y0, max = y1, interval = ys },
            series = new object[]
            {
                new
                {
                    type = "lines", name = "95% 区间", coordinateSystem = "cartesian2d", silent = true, z = 1,
                    lineStyle = new { color = "#a0aec0", width = 2, opacity = 0.9 },
                    data = points.Select(p => new { name = p.Name, coords = new[] { new[] { R(p.Intake), R(p.Lo) }, new[] { R(p.Intake), R(p.Hi) } } }).ToArray(),
                },
                new
                {
                    type = "scatter", name = "增值", symbolSize = 9, z = 2, itemStyle = new { color = "#2b6cb0" },
                    label = new { show = true, position = "right", formatter = "{b}", fontSize = 10, color = "#2d3748" },
                    labelLayout = new { hideOverlap = true },
                    tooltip = new { formatter = "fn:pointName" },
                    data = points.Select(p => new
                    {
                        name = p.Name,
                        value = new object[] { R(p.Intake), R(p.Value), R(p.Lo), R(p.Hi), p.Matched },
                        symbolSize = p.Own ? 14 : (int?)null,
                        itemStyle = p.Own ? new { color = "#c53030" } : null,
                        label = p.Own ? new { fontWeight = "bold", color = "#c53030" } : null,
                    }).ToArray(),
                    markLine = new
                    {
                        symbol = "none", silent = true, label = new { show = false },
                        lineStyle = new { color = "#718096", type = "dashed" },
                        data = new object[] { new { name = "全县（0）", yAxis = 0 } },
                    },
                },
            },
        };

        static double R(double v) => ExamReport.Exact(Math.Round(v, 2));
    }
}
