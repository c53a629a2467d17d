using System.Diagnostics;
using ScottPlot;

namespace EduBureau.Core.Exams;

/// <summary>
/// PNG charts for the .docx report (ScottPlot). Chinese labels need a CJK font: Noto Sans CJK is looked up through
/// fontconfig and a few known paths (or taken from EDU_CJK_FONT); without it no chart is drawn (rather than boxes) and <see cref="FontWarning"/>
/// names the Debian package to install.
/// </summary>
public static class ExamCharts
{
    private const string FontName = "EduBureau CJK";
    private static readonly Lazy<string?> Font = new(FindCjkFont);

    public static readonly string[] KnownPaths =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
        "/System/Library/Fonts/PingFang.ttc",
        @"C:\Windows\Fonts\msyh.ttc",
    ];

    /// <summary>The CJK font file used, or null when none was found.</summary>
    public static string? FontPath => Font.Value;

    public static string FontWarning =>
        "未找到中文字体 Noto Sans CJK，报告中的图表已省略（表格和文字不受影响）。请安装 Debian/Ubuntu 软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk）后重新生成。";

    public static bool Available => FontPath is not null;

    /// <summary>Environment variable naming the CJK font file to use (a path that does not exist, e.g. "none", turns charts off).</summary>
    public const string FontVariable = "EDU_CJK_FONT";

    private static string? FindCjkFont()
    {
        if (Environment.GetEnvironmentVariable(FontVariable) is { Length: > 0 } chosen) return File.Exists(chosen) ? chosen : null;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("fc-match", ["-f", "%{file}", "Noto Sans CJK SC"])
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is not null)
            {
                var file = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit(5000);
                if (file.Contains("CJK", StringComparison.OrdinalIgnoreCase) && File.Exists(file)) return file;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No fontconfig on this machine: fall back to the known paths.
        }
        return KnownPaths.FirstOrDefault(File.Exists);
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        Fonts.AddFontFile(FontName, FontPath!);
        var plt = new Plot();
        plt.Font.Set(FontName);
        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel(yLabel);
        return plt;
    }

    /// <summary>Histogram of a subject's score bands (count of pupils per band), or null without a CJK font.</summary>
    public static byte[]? Distribution(ExamAnalysisResult r, int subject)
    {
        if (!Available) return null;
        var c = r.County(subject);
        var w = r.BandWidth(subject);
        var plt = NewPlot($"{c.Subject}分数分布（全县）", "分数段（分）", "人数");
        plt.Add.Bars(c.Bands.Select(b => (double)b).ToArray());
        plt.Axes.Bottom.SetTicks(
            Enumerable.Range(0, c.Bands.Length).Select(i => (double)i).ToArray(),
            Enumerable.Range(0, c.Bands.Length).Select(i => $"{i * w:0}").ToArray());
        plt.Axes.Margins(bottom: 0);
        return plt.GetImageBytes(800, 400, ImageFormat.Png);
    }

    /// <summary>Bar chart of the schools' mean in a subject, best first, with the county mean as a line.</summary>
    public static byte[]? SchoolMeans(ExamAnalysisResult r, int subject)
    {
        if (!Available) return null;
        var rows = r.Level(ExamLevel.School).Where(x => x.SubjectIndex == subject && x.Mean is not null && !x.Special).OrderBy(x => x.Rank).ToList();
        if (rows.Count == 0) return null;
        var plt = NewPlot($"各校{r.SubjectNames[subject]}平均分", "学校", "平均分（分）");
        plt.Add.Bars(rows.Select(x => x.Mean!.Value).ToArray());
        plt.Axes.Bottom.SetTicks(Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray(), rows.Select(x => x.Unit).ToArray());
        plt.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plt.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        var line = plt.Add.HorizontalLine(r.County(subject).Mean ?? 0);
        line.LegendText = "全县平均";
        plt.Axes.Margins(bottom: 0);
        return plt.GetImageBytes(900, 450, ImageFormat.Png);
    }

    /// <summary>Scatter of school value added (regression view, points) against intake (earlier exam mean).</summary>
    public static byte[]? ValueAddedVsIntake(IReadOnlyList<UnitValueAdded> schools, string subject)
    {
        if (!Available || schools.Count == 0) return null;
        var plt = NewPlot($"各校{subject}增值与入口成绩", "参照考试平均分（分）", "增值（分，回归收缩后）");
        var sp = plt.Add.ScatterPoints(schools.Select(v => v.IntakeMean).ToArray(), schools.Select(v => v.Regression).ToArray());
        sp.MarkerSize = 8;
        plt.Add.HorizontalLine(0);
        return plt.GetImageBytes(800, 450, ImageFormat.Png);
    }
}
