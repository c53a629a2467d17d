using System.Globalization;

namespace EduBureau.Web.Pages.Exams;

/// <summary>Geometry for the server-rendered SVG charts; the Razor partials draw it (and encode every label).</summary>
public sealed record BarChart(string Title, string XTitle, string YTitle, double Width, double Height, double Max,
    IReadOnlyList<(double X, double Y, double W, double H, string Label, string Value, bool Highlight)> Bars,
    IReadOnlyList<(double Y, string Label)> YTicks);

public sealed record ScatterChart(string Title, string XTitle, string YTitle, double Width, double Height,
    IReadOnlyList<(double X, double Y, string Label, bool Highlight)> Points,
    IReadOnlyList<(double X, string Label)> XTicks, IReadOnlyList<(double Y, string Label)> YTicks, double? ZeroY);

public static class SvgCharts
{
    public const double Left = 56, Bottom = 48, Top = 32, Right = 16;

    public static BarChart Bars(string title, string xTitle, string yTitle, IReadOnlyList<(string Label, double Value, bool Highlight)> data,
        double width = 640, double height = 300, string format = "0")
    {
        var max = Math.Max(1, data.Count == 0 ? 1 : data.Max(d => d.Value));
        var nice = Nice(max);
        double plotW = width - Left - Right, plotH = height - Top - Bottom;
        var slot = data.Count == 0 ? plotW : plotW / data.Count;
        var bars = data.Select((d, i) =>
        {
            var h = plotH * d.Value / nice;
            return (Left + i * slot + slot * 0.1, Top + plotH - h, slot * 0.8, h, d.Label, d.Value.ToString(format, CultureInfo.InvariantCulture), d.Highlight);
        }).ToList();
        var ticks = Enumerable.Range(0, 5).Select(k => (Top + plotH - plotH * k / 4, (nice * k / 4).ToString("0.#", CultureInfo.InvariantCulture))).ToList();
        return new BarChart(title, xTitle, yTitle, width, height, nice, bars, ticks);
    }

    public static ScatterChart Scatter(string title, string xTitle, string yTitle, IReadOnlyList<(double X, double Y, string Label, bool Highlight)> data,
        double width = 640, double height = 360)
    {
        double plotW = width - Left - Right, plotH = height - Top - Bottom;
        double x0 = data.Count > 0 ? data.Min(d => d.X) : 0, x1 = data.Count > 0 ? data.Max(d => d.X) : 1;
        double y0 = data.Count > 0 ? Math.Min(0, data.Min(d => d.Y)) : -1, y1 = data.Count > 0 ? Math.Max(0, data.Max(d => d.Y)) : 1;
        if (x1 - x0 < 1e-9) { x0 -= 1; x1 += 1; }
        if (y1 - y0 < 1e-9) { y0 -= 1; y1 += 1; }
        var px = (x1 - x0) * 0.05; var py = (y1 - y0) * 0.08;
        x0 -= px; x1 += px; y0 -= py; y1 += py;
        double X(double v) => Left + plotW * (v - x0) / (x1 - x0);
        double Y(double v) => Top + plotH - plotH * (v - y0) / (y1 - y0);
        var points = data.Select(d => (X(d.X), Y(d.Y), d.Label, d.Highlight)).ToList();
        var xt = Enumerable.Range(0, 5).Select(k => x0 + (x1 - x0) * k / 4).Select(v => (X(v), v.ToString("0.#", CultureInfo.InvariantCulture))).ToList();
        var yt = Enumerable.Range(0, 5).Select(k => y0 + (y1 - y0) * k / 4).Select(v => (Y(v), v.ToString("0.#", CultureInfo.InvariantCulture))).ToList();
        return new ScatterChart(title, xTitle, yTitle, width, height, points, xt, yt, Y(0));
    }

    private static double Nice(double max)
    {
        var p = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 }) if (m * p >= max) return m * p;
        return 10 * p;
    }

    public static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
