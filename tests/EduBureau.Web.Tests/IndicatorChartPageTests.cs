using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Indicators;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>The ECharts options a page carries (the JSON in each .echart box), as the browser reads them.</summary>
internal static class PageCharts
{
    public static List<JsonElement> All(string html) =>
        Regex.Matches(html, "<div class=\"echart\"[^>]*><script type=\"application/json\">(.*?)</script>", RegexOptions.Singleline)
            .Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement.Clone()).ToList();

    public static string Title(JsonElement o) => o.GetProperty("title").GetProperty("text").GetString()!;

    public static JsonElement Titled(string html, string title) => All(html).Single(o => Title(o) == title);

    /// <summary>The breakdown bar chart of /Indicators/Detail (inside #breakdown-chart).</summary>
    public static JsonElement? Breakdown(string html)
    {
        var m = Regex.Match(html, "<section class=\"breakdown-chart\" id=\"breakdown-chart\">(.*?)</section>", RegexOptions.Singleline);
        return m.Success ? All(m.Groups[1].Value).Single() : null;
    }

    public static JsonElement ValueAxis(JsonElement o) =>
        o.GetProperty("xAxis").GetProperty("type").GetString() == "value" ? o.GetProperty("xAxis") : o.GetProperty("yAxis");

    public static JsonElement CategoryAxis(JsonElement o) =>
        o.GetProperty("xAxis").GetProperty("type").GetString() == "category" ? o.GetProperty("xAxis") : o.GetProperty("yAxis");

    public static List<string> Names(JsonElement o) => CategoryAxis(o).GetProperty("data").EnumerateArray().Select(x => x.GetString()!).ToList();

    public static List<double> BarValues(JsonElement o) =>
        o.GetProperty("series")[0].GetProperty("data").EnumerateArray().Select(x => x.GetProperty("value").GetDouble()).ToList();

    public static List<double> MarkLines(JsonElement o) =>
        o.GetProperty("series")[0].TryGetProperty("markLine", out var ml)
            ? ml.GetProperty("data").EnumerateArray().Select(d => d.TryGetProperty("xAxis", out var x) ? x.GetDouble() : d.GetProperty("yAxis").GetDouble()).ToList()
            : [];
}

/// <summary>
/// Issue #15, charts, on the hand-made county (<see cref="Core.Tests.Infrastructure.TinyCounty"/>, one school year 2025)
/// through real HTTP: 3–5 岁 population 东镇 2 a year, 西乡 1 a year, no kindergarten (学前三年毛入园率 0 / 6 and 0 / 3);
/// 办学条件: 东镇小学 (2 pupils) 教学用房 10 m², 运动场馆 20 m², 仪器 0.5 万元, 1 间多媒体; 西乡小学 (1 pupil) 2 m², 8 m², 0.3 万元,
/// no 多媒体教室; no teachers anywhere.
/// </summary>
public sealed class IndicatorChartPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => IndicatorPagesTests.SeedAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Dashboard_OneYear_TrendIsLabelledBarWithNoteAndFittedAxis()
    {
        var client = await app.LoginAsync("keshi");

        var html = await client.GetStringAsync("/");

        var trend = PageCharts.Titled(html, "学前三年毛入园率（%）");
        Assert.Equal("仅一年数据", trend.GetProperty("title").GetProperty("subtext").GetString());
        Assert.Equal("bar", trend.GetProperty("series")[0].GetProperty("type").GetString());
        Assert.Equal(0, trend.GetProperty("series")[0].GetProperty("data")[0].GetDouble());
        // A single 0 %: a window of 10 points, step 5, not below 0 → 0–5 (was 0–1.1 with a lone dot).
        var y = trend.GetProperty("yAxis");
        Assert.Equal((0.0, 5.0, 5.0), (y.GetProperty("min").GetDouble(), y.GetProperty("max").GetDouble(), y.GetProperty("interval").GetDouble()));
        Assert.Contains("echart-fallback", html);   // the server-side SVG stays inside the box (print, no script)
    }

    [Fact]
    public async Task DetailByTownship_Chart_OneBarPerTownshipNoTargetLine()
    {
        var client = await app.LoginAsync("keshi");

        var html = await client.GetStringAsync("/Indicators/Detail?code=preschool_gross_enrollment_3y&by=Township");

        var chart = PageCharts.Breakdown(html)!.Value;
        Assert.Equal("学前三年毛入园率（%）按乡镇", PageCharts.Title(chart));
        Assert.Equal(["东镇", "西乡"], PageCharts.Names(chart).Order());
        // The page's trend too: one school year (2025), 0 %.
        Assert.Equal("仅一年数据", PageCharts.Titled(html, "学前三年毛入园率（%）").GetProperty("title").GetProperty("subtext").GetString());
        Assert.Equal([0.0, 0.0], PageCharts.BarValues(chart));
        Assert.Empty(PageCharts.MarkLines(chart));   // no plan, no target
        Assert.Equal("category", chart.GetProperty("xAxis").GetProperty("type").GetString());   // two units: upright bars
        Assert.Equal("fn:labelPct1", chart.GetProperty("series")[0].GetProperty("label").GetProperty("formatter").GetString());
    }

    [Fact]
    public async Task DetailBySchool_PopulationIndicatorNotApplicableEverywhere_NoChart()
    {
        var client = await app.LoginAsync("keshi");

        var html = await client.GetStringAsync("/Indicators/Detail?code=preschool_gross_enrollment_3y&by=School");

        Assert.Null(PageCharts.Breakdown(html));
        Assert.Contains("不适用", html);
    }

    [Fact]
    public async Task Balance_Primary_GridChartCellsAsComputedByHand()
    {
        var client = await app.LoginAsync("keshi");

        var html = await client.GetStringAsync("/Indicators/Balance?level=小学");

        var grid = PageCharts.All(html).Single();
        Assert.Equal(["东镇小学", "西乡小学"], grid.GetProperty("yAxis").GetProperty("data").EnumerateArray().Select(x => x.GetString()));
        var cells = grid.GetProperty("series")[0].GetProperty("data").EnumerateArray()
            .Select(c => c.GetProperty("value")).ToDictionary(v => (v[1].GetInt32(), v[0].GetInt32()), v => v[2].GetInt32());
        // 0 达标, 1 未达标. No teachers: 1–3 未达标 in both. 东镇小学 10/2 = 5 ≥ 4.5, 20/2 = 10 ≥ 7.5, 5000/2 = 2500 ≥ 2000,
        // 1/2×100 = 50 ≥ 2.3. 西乡小学 2 < 4.5, 8 ≥ 7.5, 3000 ≥ 2000, 0 < 2.3.
        Assert.Equal([1, 1, 1, 0, 0, 0, 0], Enumerable.Range(0, 7).Select(i => cells[(0, i)]));
        Assert.Equal([1, 1, 1, 1, 0, 0, 1], Enumerable.Range(0, 7).Select(i => cells[(1, i)]));
        Assert.Contains("东镇小学<br>4. 生均教学及辅助用房面积：5.00 m²（标准 ≥ 4.5）达标",
            grid.GetProperty("series")[0].GetProperty("data")[3].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Balance_PrimarySchoolAskedJunior_NotApplicableOnceNotMissing()
    {
        var school = await app.LoginAsync("school");   // 东镇小学
        var east = await app.LoginAsync("east");       // 东镇 has 东镇中学

        var html = await school.GetStringAsync("/Indicators/Balance?level=初中");
        var township = await east.GetStringAsync("/Indicators/Balance?level=初中");
        var export = await school.GetAsync("/Indicators/Balance?handler=Export&level=初中");

        Assert.Contains("不适用：本单位没有初中", html);
        Assert.Single(Regex.Matches(html, "不适用"));
        Assert.DoesNotContain("缺少数据", html);
        Assert.DoesNotContain("class=\"red\"", html);
        Assert.DoesNotContain("不适用", township);
        Assert.Contains("东镇中学", township);
        Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
    }
}

/// <summary>Issue #15, charts, on the demo county (<see cref="DemoFixture"/>) through real HTTP.</summary>
public sealed class IndicatorChartDemoTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    [Fact]
    public async Task Dashboard_Trends_AxisFittedToTheDataNotFromZero()
    {
        var client = await fx.LoginAsync("keshi");

        var html = await client.GetStringAsync("/");

        var trends = PageCharts.All(html);
        Assert.NotEmpty(trends);
        var fittedAboveZero = 0;
        foreach (var t in trends)
        {
            var y = t.GetProperty("yAxis");
            double min = y.GetProperty("min").GetDouble(), max = y.GetProperty("max").GetDouble();
            var values = t.GetProperty("series").EnumerateArray().SelectMany(s => s.GetProperty("data").EnumerateArray())
                .Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
            Assert.All(values, v => Assert.InRange(v, min, max));
            if (PageCharts.Title(t).EndsWith("（%）") && values.All(v => v <= 100)) Assert.True(max <= 100, PageCharts.Title(t));
            Assert.Equal(0, t.GetProperty("xAxis").GetProperty("axisLabel").GetProperty("interval").GetInt32());
            Assert.Equal(t.GetProperty("xAxis").GetProperty("data").GetArrayLength(), t.GetProperty("series")[0].GetProperty("data").GetArrayLength());
            if (min > 0) fittedAboveZero++;
        }
        // The demo's rates sit near 90 %: their axes no longer start at 0.
        Assert.True(fittedAboveZero > 0);
    }

    [Fact]
    public async Task DetailBySchool_LargeClass_BarsLeaveOutKindergartensAndNameThem()
    {
        List<string> notApplicable;
        await using (var db = fx.Open())
            notApplicable = await db.Schools.Where(s => s.Level == SchoolLevel.Kindergarten || s.Level == SchoolLevel.Senior || s.Level == SchoolLevel.Vocational)
                .Select(s => s.Name).ToListAsync();
        var client = await fx.LoginAsync("keshi");

        var html = await client.GetStringAsync("/Indicators/Detail?code=large_class_share&by=School");

        var chart = PageCharts.Breakdown(html)!.Value;
        var names = PageCharts.Names(chart);
        Assert.NotEmpty(names);
        Assert.All(notApplicable, n => Assert.DoesNotContain(n, names));
        var na = Regex.Match(html, "<p class=\"small na\" id=\"chart-na\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value;
        Assert.All(notApplicable, n => Assert.Contains(System.Net.WebUtility.HtmlEncode(n), na));
        // Many schools: horizontal bars, one per school, values in the page's order.
        Assert.True(names.Count > Pages.Indicators.IndicatorCharts.HorizontalFrom);
        Assert.Equal("category", chart.GetProperty("yAxis").GetProperty("type").GetString());
        Assert.Equal(names.Count, PageCharts.BarValues(chart).Count);
        var axis = PageCharts.ValueAxis(chart);
        Assert.All(PageCharts.BarValues(chart), v => Assert.InRange(v, axis.GetProperty("min").GetDouble(), axis.GetProperty("max").GetDouble()));
    }

    [Fact]
    public async Task Detail_IndicatorWithPlanTarget_TargetIsTheMarkLine()
    {
        var client = await fx.LoginAsync("keshi");
        var checkedOne = false;

        foreach (var def in IndicatorCatalog.All)
        {
            var html = await client.GetStringAsync($"/Indicators/Detail?code={def.Code}&by=Township");
            var goal = Regex.Match(html, "<div>计划目标</div><div class=\"value\">[^<]*?([0-9]+\\.[0-9])");
            if (!goal.Success || PageCharts.Breakdown(html) is not { } chart) continue;

            var target = double.Parse(goal.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.Contains(PageCharts.MarkLines(chart), t => Math.Abs(t - target) < 0.05);
            var axis = PageCharts.ValueAxis(chart);
            Assert.InRange(target, axis.GetProperty("min").GetDouble(), axis.GetProperty("max").GetDouble());
            checkedOne = true;
        }
        Assert.True(checkedOne, "the demo plan has no target with a township breakdown");
    }

    [Fact]
    public async Task Balance_PrimarySchoolAskedJunior_NotApplicableNotMissing()
    {
        var client = await fx.LoginAsync("xuexiao");   // a 小学

        var html = await client.GetStringAsync("/Indicators/Balance?level=初中");

        Assert.Contains("不适用：本单位没有初中", html);
        Assert.DoesNotContain("缺少数据", html);
        Assert.DoesNotContain("class=\"red\"", html);
    }
}
