using System.Text.RegularExpressions;
using EduBureau.Core.Indicators;
using EduBureau.Demo;
using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>The demo county's synthetic township boundaries drawn by ECharts under a breakdown by township (headless Chromium).</summary>
public class TownshipMapBrowserTests(DemoBrowserFixture fx) : IClassFixture<DemoBrowserFixture>
{
    /// <summary>Set EDU_SCREENSHOTS to a folder to keep the pages as PNG (desktop and phone).</summary>
    private static readonly string? Shots = Environment.GetEnvironmentVariable("EDU_SCREENSHOTS");

    [SkippableFact]
    public async Task IndicatorBreakdownByTownship_DemoCounty_MapDrawsTwelveTownships()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await fx.SignedInPageAsync("admin");

        await page.GotoAsync($"/Indicators/Detail?code={IndicatorCatalog.CompulsoryRetention}&by=Township");
        var box = page.Locator(".echart[data-map-url]");
        // Drawn: the SVG renderer's svg inside the box, with a label per township.
        await Assertions.Expect(box.Locator("svg")).ToHaveCountAsync(1);
        await Assertions.Expect(box.Locator("svg text", new() { HasText = "城关镇" }).First).ToBeVisibleAsync();
        Assert.False(await box.EvaluateAsync<bool>("b => b.classList.contains('echart-failed')"));
        var labels = await box.Locator("svg text").AllTextContentsAsync();
        Assert.Equal(12, labels.Count(t => Regex.IsMatch(t, "^.{2}[镇乡]$")));
        if (Shots is not null) await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, "township-map-breakdown.png"), FullPage = true });

        // 高中阶段毛入学率 does not apply to townships without a high school: those are drawn grey (no value, outside the scale).
        await page.GotoAsync($"/Indicators/Detail?code={IndicatorCatalog.SeniorSecondaryGross}&by=Township");
        await Assertions.Expect(box.Locator("svg text", new() { HasText = "城关镇" }).First).ToBeVisibleAsync();
        var fills = await box.Locator("svg path").EvaluateAllAsync<string[]>("ps => ps.map(p => (p.getAttribute('fill') || '').toLowerCase())");
        Assert.Contains(fills, f => f is "#d0d0d0" or "rgb(208,208,208)");
        if (Shots is not null) await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, "township-map-na.png"), FullPage = true });

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/Org/Map");
        await Assertions.Expect(page.Locator(".echart[data-map-url] svg")).ToHaveCountAsync(1);
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= inner, $"/Org/Map {scroll} px wide on a {inner} px phone");
        if (Shots is not null) await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, "township-map-upload-phone.png"), FullPage = true });
    }
}
