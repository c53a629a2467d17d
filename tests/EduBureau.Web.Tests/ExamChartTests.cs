using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Exams;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>
/// Issue #15, exam charts and numbers through HTTP, on the <see cref="ExamPagesTests"/> exam (六年级期末: 东镇小学 P1 90/80,
/// P2 60/缺考, 西乡小学 W1 70/50, 东镇中学 J1 30/20 → 总分 170, 60, 120, 50) plus, on this class's own factory, an earlier
/// exam of the same pupils (P1 80/70, P2 50/60, W1 70/60, J1 40/30 → 150, 110, 130, 70) and one with decimal scores.
/// </summary>
public partial class ExamChartTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<WebAppFactory, (int Exam, int Earlier, int Decimal)> Seeded = [];

    private async Task<(int Exam, int Earlier, int Decimal)> ExamsAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (Seeded.TryGetValue(app, out var ids)) return ids;
            var exam = await ExamPagesTests.ExamFor(app);
            var earlier = await AddExamAsync("六年级月考", new DateOnly(2025, 10, 10),
                "P1,小明,4500000001,1班,80,70\nP2,小红,4500000001,1班,50,60\nW1,西乡娃,4500000003,1班,70,60\nJ1,中学生,4500000002,1班,40,30\n");
            var dec = await AddExamAsync("小数测验", new DateOnly(2025, 12, 1),
                "P1,小明,4500000001,1班,4.4,80.2\nP2,小红,4500000001,1班,4.3,缺考\nW1,西乡娃,4500000003,1班,4.5,0.1\nJ1,中学生,4500000002,1班,缺考,4.2\n");
            return Seeded[app] = (exam, earlier, dec);
        }
        finally { Gate.Release(); }
    }

    private async Task<int> AddExamAsync(string name, DateOnly date, string rows)
    {
        await using var db = Core.Data.Database.OpenSystem(app.Database, "test");
        var exam = (await ExamStore.CreateAsync(db, name, date, TinyCounty.Year, Grade.G6,
            [new ExamSubject { Name = "语文", FullMarks = 100 }, new ExamSubject { Name = "数学", FullMarks = 100, Order = 1 }])).ValueOrThrow();
        var file = Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N"), "成绩.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "学籍号,姓名,学校标识码,班级,语文,数学\n" + rows, new UTF8Encoding(false));
        var r = await ImportScores.RunAsync(db, exam.Id, file);
        if (!r.Succeeded) throw new InvalidOperationException(string.Join("\n", r.Issues));
        return exam.Id;
    }

    [GeneratedRegex("""<div class="echart"[^>]*><script type="application/json">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex ChartJson();

    /// <summary>The ECharts option of the page's chart whose title contains <paramref name="title"/>.</summary>
    internal static JsonElement Chart(string html, string title) =>
        ChartJson().Matches(html).Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement)
            .Single(o => o.GetProperty("title").GetProperty("text").GetString()!.Contains(title, StringComparison.Ordinal));

    [Fact]
    public async Task Overview_DistributionChart_BinsSumToPupilsWithATotalAndLinesSitAtThePassAndExcellentScores()
    {
        var (exam, _, _) = await ExamsAsync();
        var client = await app.LoginAsync("admin");

        var html = await client.GetStringAsync($"/Exams/Overview?id={exam}");
        var chart = Chart(html, "总分分数分布");

        // 总分 full marks 200 → bins of 10 (20 bins); totals 170, 60, 120, 50 → one pupil each in bins 17, 6, 12, 5.
        var bars = chart.GetProperty("series")[0];
        var data = bars.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(20, data.Count);
        Assert.Equal(4, data.Sum(d => d.GetProperty("value")[1].GetInt32()));
        Assert.Equal([5, 6, 12, 17], data.Select((d, i) => (i, n: d.GetProperty("value")[1].GetInt32())).Where(x => x.n > 0).Select(x => x.i));
        Assert.Equal("170–180", data[17].GetProperty("name").GetString());
        Assert.Equal(175, data[17].GetProperty("value")[0].GetDouble());
        // 及格 60 % and 优秀 85 % of 200.
        var lines = bars.GetProperty("markLine").GetProperty("data").EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!, l => l.GetProperty("xAxis").GetDouble());
        Assert.Equal(120, lines["及格线"]);
        Assert.Equal(170, lines["优秀线"]);
        Assert.Equal(20, chart.GetProperty("xAxis").GetProperty("interval").GetDouble());
        Assert.Contains("<svg", html); // the server-side chart stays as the fallback inside the box

        // Per subject: 语文 (full 100 → bins of 5): 90, 60, 70, 30 → 4 pupils.
        var chinese = Chart(await client.GetStringAsync($"/Exams/Overview?id={exam}&subject=0"), "语文分数分布");
        Assert.Equal(4, chinese.GetProperty("series")[0].GetProperty("data").EnumerateArray().Sum(d => d.GetProperty("value")[1].GetInt32()));
        Assert.Equal(20, chinese.GetProperty("series")[0].GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Overview_SchoolMeansChart_SortedWithCountyMeanLine()
    {
        var (exam, _, _) = await ExamsAsync();
        var client = await app.LoginAsync("admin");

        var chart = Chart(await client.GetStringAsync($"/Exams/Overview?id={exam}"), "各校总分平均分");

        // 总分 means: 西乡小学 120, 东镇小学 (170 + 60) / 2 = 115, 东镇中学 50; county (170 + 60 + 120 + 50) / 4 = 100.
        Assert.Equal(["西乡小学", "东镇小学", "东镇中学"], chart.GetProperty("yAxis").GetProperty("data").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal([120.0, 115, 50], chart.GetProperty("series")[0].GetProperty("data").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(100, chart.GetProperty("series")[0].GetProperty("markLine").GetProperty("data")[0].GetProperty("xAxis").GetDouble());
    }

    [Fact]
    public async Task ValueAdded_Chart_PointsCarryNamesIntakeAndIntervalsOnRoundTicks()
    {
        var (exam, earlier, _) = await ExamsAsync();
        var client = await app.LoginAsync("admin");

        var html = await client.GetStringAsync($"/Exams/ValueAdded?id={exam}&vs={earlier}");
        var chart = Chart(html, "总分增值与入口成绩");

        var series = chart.GetProperty("series").EnumerateArray().ToList();
        var scatter = series.Single(s => s.GetProperty("type").GetString() == "scatter");
        var points = scatter.GetProperty("data").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value"));
        Assert.Equal(["东镇中学", "东镇小学", "西乡小学"], points.Keys.Order());
        // Intake = the earlier 总分 mean of the matched pupils: 东镇小学 (150 + 110) / 2 = 130, 西乡小学 130, 东镇中学 70.
        Assert.Equal(130, points["东镇小学"][0].GetDouble());
        Assert.Equal(70, points["东镇中学"][0].GetDouble());
        Assert.All(points.Values, v => Assert.True(v[2].GetDouble() <= v[1].GetDouble() && v[1].GetDouble() <= v[3].GetDouble()));
        Assert.Equal("{b}", scatter.GetProperty("label").GetProperty("formatter").GetString());
        Assert.True(scatter.GetProperty("labelLayout").GetProperty("hideOverlap").GetBoolean());
        // One interval segment per school, vertical at its intake, from lo to hi.
        var intervals = series.Single(s => s.GetProperty("type").GetString() == "lines").GetProperty("data").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("coords"));
        Assert.Equal(points.Keys.Order(), intervals.Keys.Order());
        Assert.Equal(points["东镇小学"][2].GetDouble(), intervals["东镇小学"][0][1].GetDouble());
        Assert.Equal(points["东镇小学"][3].GetDouble(), intervals["东镇小学"][1][1].GetDouble());
        // Round ticks: the interval is 1, 2 or 5 × 10^k and the bounds are multiples of it.
        foreach (var axis in new[] { "xAxis", "yAxis" })
        {
            var a = chart.GetProperty(axis);
            var step = a.GetProperty("interval").GetDouble();
            var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
            Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2, 5 });
            Assert.Equal(0, Math.Round(a.GetProperty("min").GetDouble() / step, 9) % 1);
            Assert.Equal(0, Math.Round(a.GetProperty("max").GetDouble() / step, 9) % 1);
            Assert.False(string.IsNullOrEmpty(a.GetProperty("name").GetString()));
        }
        Assert.Equal(0, scatter.GetProperty("markLine").GetProperty("data")[0].GetProperty("yAxis").GetDouble());
        // The bureau sees all schools alike.
        Assert.DoesNotContain(scatter.GetProperty("data").EnumerateArray(), p => p.TryGetProperty("itemStyle", out _));

        // A school user sees its own school stand out among the others (named “其他学校 N”).
        var school = await app.LoginAsync("school");
        var schoolScatter = Chart(await school.GetStringAsync($"/Exams/ValueAdded?id={exam}&vs={earlier}"), "总分增值与入口成绩")
            .GetProperty("series").EnumerateArray().Single(s => s.GetProperty("type").GetString() == "scatter").GetProperty("data").EnumerateArray().ToList();
        var highlighted = schoolScatter.Where(p => p.TryGetProperty("itemStyle", out _)).Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["东镇小学"], highlighted);
        Assert.Equal(3, schoolScatter.Count);
    }

    [Fact]
    public async Task Api_DecimalScores_AnalysisJsonShowsTheDecimalsAndSchoolUserOnlyItsOwnRows()
    {
        var (_, _, dec) = await ExamsAsync();
        var admin = await app.LoginAsync("admin");

        var json = await admin.GetStringAsync($"/api/exams/{dec}/analysis?level=county");

        // 语文 4.4, 4.3, 4.5 → mean 13.2 / 3 = 4.4; 总分 P1 4.4 + 80.2 = 84.6.
        using var doc = JsonDocument.Parse(json);
        var chinese = doc.RootElement.EnumerateArray().Single(r => r.GetProperty("subject").GetString() == "语文");
        Assert.Contains("\"mean\":4.4,", chinese.GetRawText());
        Assert.Contains("\"min\":4.3,", chinese.GetRawText());
        var total = doc.RootElement.EnumerateArray().Single(r => r.GetProperty("subject").GetString() == "总分");
        Assert.Contains("\"max\":84.6,", total.GetRawText());
        Assert.DoesNotMatch(new Regex(@"\d\.\d*(0000000|9999999)\d"), json);

        var school = await app.LoginAsync("school");
        var own = JsonDocument.Parse(await school.GetStringAsync($"/api/exams/{dec}/analysis")).RootElement.EnumerateArray().ToList();
        Assert.All(own, r => Assert.Contains(r.GetProperty("level").GetString(), new[] { "county", "school", "class" }));
        Assert.Equal(["东镇小学"], own.Where(r => r.GetProperty("level").GetString() == "school").Select(r => r.GetProperty("unit").GetString()).Distinct());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/api/exams/{dec}/analysis?level=nonsense")).StatusCode);
    }
}

/// <summary>Issue #15: the demo exam's score distribution draws (an svg inside its .echart box) on a 390 px phone without widening the page.</summary>
public class ExamChartBrowserTests(DemoBrowserFixture fx) : IClassFixture<DemoBrowserFixture>
{
    [SkippableFact]
    public async Task Overview_DemoExamOnPhone_DistributionChartDrawsWithinTheWindow()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        int exam;
        await using (var db = fx.Demo.Open())
            exam = await db.Set<Exam>().Where(e => e.Grade == Grade.G9).OrderByDescending(e => e.Date).Select(e => e.Id).FirstAsync();
        var page = await fx.SignedInPageAsync("admin");
        await page.SetViewportSizeAsync(390, 844);

        var response = await page.GotoAsync($"/Exams/Overview?id={exam}");
        Assert.True(response!.Ok);

        var box = page.Locator(".echart[aria-label='总分分数分布']");
        // ECharts draws its own svg next to the (now hidden) server-side fallback svg.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll(\".echart[aria-label='总分分数分布'] svg\")].some(s => !s.closest('.echart-fallback'))");
        await Assertions.Expect(box.Locator(".echart-fallback")).ToBeHiddenAsync();
        var paths = await page.EvaluateAsync<int>("() => [...document.querySelectorAll(\".echart[aria-label='总分分数分布'] svg\")].filter(s => !s.closest('.echart-fallback')).reduce((n, s) => n + s.querySelectorAll('path').length, 0)");
        Assert.True(paths > 5, $"只画出 {paths} 个图形");
        var w = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(w[0] <= w[1], $"页面比窗口宽：{w[0]} > {w[1]}");
        var boxWidth = await box.EvaluateAsync<double>("b => b.getBoundingClientRect().right");
        Assert.True(boxWidth <= 390, $"图表超出窗口：{boxWidth}");
        if (Environment.GetEnvironmentVariable("EDU_SCREENSHOTS") is { Length: > 0 } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "exam-overview-390.png"), FullPage = true });
    }
}
