using System.Text.Json;
using EduBureau.Core.Indicators;
using EduBureau.Web.Infrastructure;
using EduBureau.Web.Pages.Indicators;

namespace EduBureau.Web.Tests;

/// <summary>The axis range of the indicator charts (issue #15: trends from 0 to 99.1 / 106.7 looked flat), by hand.</summary>
public sealed class IndicatorChartsTests
{
    [Theory]
    // span 6.8 → 1.7 a step → 2; 88.2 → 88, 95 → 96.
    [InlineData(new[] { 88.2, 89.5, 90.1, 95 }, true, 88, 96, 2)]
    // span 2.5 → 0.625 → 1; 100 stays the top of a percent axis.
    [InlineData(new[] { 97.5, 99.1, 100.0 }, true, 97, 100, 1)]
    // 90 falls on a step: one more below (88); 95 → 96.
    [InlineData(new[] { 90.0, 95 }, true, 88, 96, 2)]
    // span 1.5 → 0.375 → 0.5; 98 on a step → 97.5; 99.5 on a step → 100 (not above 100).
    [InlineData(new[] { 98.0, 99.5 }, true, 97.5, 100, 0.5)]
    // one value 0: a window of 10 points → step 5; not below 0.
    [InlineData(new[] { 0.0 }, true, 0, 5, 5)]
    // a percent above 100 is shown: 96 on a step → 94; 101.2 → 102.
    [InlineData(new[] { 101.2, 96 }, true, 94, 102, 2)]
    // 生师比: span 5.6 → 1.4 → 2; 13 → 12, 18.6 → 20.
    [InlineData(new[] { 15.2, 18.6, 13 }, false, 12, 20, 2)]
    // negative values keep their sign: −3 → −4; 4 on a step → 6.
    [InlineData(new[] { -3.0, 4 }, false, -4, 6, 2)]
    public void NiceRange_Values_FittedRoundAxis(double[] values, bool percent, double min, double max, double step)
    {
        Assert.Equal(new AxisRange(min, max, step), IndicatorCharts.NiceRange(values, percent));
    }

    [Fact]
    public void NiceRange_NoValues_WholePercentAxis() =>
        Assert.Equal(new AxisRange(0, 100, 20), IndicatorCharts.NiceRange([], true));

    [Theory]
    [InlineData(1.7, 2)]
    [InlineData(0.625, 1)]
    [InlineData(0.375, 0.5)]
    [InlineData(2.5, 5)]
    [InlineData(7, 10)]
    [InlineData(1, 1)]
    [InlineData(0.03, 0.05)]
    public void NiceStep_Raw_OneTwoFive(double raw, double step) => Assert.Equal(step, IndicatorCharts.NiceStep(raw));

    [Fact]
    public void Trend_OneYear_LabelledBarWithNote()
    {
        var t = new TrendChart("学前三年毛入园率", "%", [new TrendPoint(2024, null, null), new TrendPoint(2025, 91.3, 95)], true);

        using var o = JsonDocument.Parse(EChart.ToJson(IndicatorCharts.Trend(t)));

        var r = o.RootElement;
        Assert.Equal("仅一年数据", r.GetProperty("title").GetProperty("subtext").GetString());
        var value = r.GetProperty("series")[0];
        Assert.Equal("bar", value.GetProperty("type").GetString());
        Assert.True(value.GetProperty("label").GetProperty("show").GetBoolean());
        Assert.Equal("fn:labelPct1", value.GetProperty("label").GetProperty("formatter").GetString());
        var target = r.GetProperty("series")[1];
        Assert.Equal("dashed", target.GetProperty("lineStyle").GetProperty("type").GetString());
        Assert.Equal("目标 95%", target.GetProperty("endLabel").GetProperty("formatter").GetString());
        // 91.3 … 95: span 3.7 → 0.925 → 1; 91 and 95 → 96.
        Assert.Equal(91, r.GetProperty("yAxis").GetProperty("min").GetDouble());
        Assert.Equal(96, r.GetProperty("yAxis").GetProperty("max").GetDouble());
        Assert.Equal(["2024", "2025"], r.GetProperty("xAxis").GetProperty("data").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(0, r.GetProperty("xAxis").GetProperty("axisLabel").GetProperty("interval").GetInt32());
    }

    [Fact]
    public void Trend_SeveralYears_LineWithGapAndNoNote()
    {
        var t = new TrendChart("小学生师比", ":1", [new TrendPoint(2023, 15.2, null), new TrendPoint(2024, null, null), new TrendPoint(2025, 18.6, null)], false);

        using var o = JsonDocument.Parse(EChart.ToJson(IndicatorCharts.Trend(t)));

        var r = o.RootElement;
        Assert.False(r.GetProperty("title").TryGetProperty("subtext", out _));
        Assert.Equal("line", r.GetProperty("series")[0].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("series")[0].GetProperty("data")[1].ValueKind);
        Assert.Equal(1, r.GetProperty("series").GetArrayLength());    // no target, no target line
        Assert.Equal("fn:ratio1", r.GetProperty("tooltip").GetProperty("valueFormatter").GetString());
    }
}
