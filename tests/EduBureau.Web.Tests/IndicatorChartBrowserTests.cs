using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>
/// Issue #15, charts: on the demo county in headless Chromium the breakdown bar chart of an indicator actually draws
/// (ECharts puts an svg inside the .echart box) at 1366 px and on a 390 px phone, without making the page wider.
/// </summary>
public class IndicatorChartBrowserTests(DemoBrowserFixture fx) : IClassFixture<DemoBrowserFixture>
{
    [SkippableFact]
    public async Task DetailBreakdown_DesktopAndPhone_ChartDrawsWithinWindow()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await fx.SignedInPageAsync("keshi");

        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
            await page.GotoAsync("/Indicators/Detail?code=large_class_share&by=School");

            var svg = page.Locator("#breakdown-chart .echart svg");
            await Assertions.Expect(svg.First).ToBeVisibleAsync();
            Assert.True(await page.Locator("#breakdown-chart .echart svg text").CountAsync() > 5, $"@{width}px: the chart has no labels");
            await Assertions.Expect(page.Locator("#breakdown-chart .echart-fallback")).ToBeHiddenAsync();
            var w = await page.EvaluateAsync<double[]>("() => [document.documentElement.scrollWidth, window.innerWidth, document.querySelector('#breakdown-chart .echart').getBoundingClientRect().right]");
            Assert.True(w[0] <= w[1], $"@{width}px: page {w[0]} px wider than the window {w[1]} px");
            Assert.True(w[2] <= w[1], $"@{width}px: chart ends at {w[2]} px, window {w[1]} px");
            if (Environment.GetEnvironmentVariable("EDU_SCREENSHOTS") is { Length: > 0 } dir)
                await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"indicator-breakdown-{width}.png"), FullPage = true });
        }

        // The home page trends draw too (one box per card).
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("figure.trend .echart > div:not(.echart-fallback) svg").First).ToBeVisibleAsync();
    }
}
