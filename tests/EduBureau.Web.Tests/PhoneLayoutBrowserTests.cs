using System.Text.RegularExpressions;
using EduBureau.Core.Admission;
using EduBureau.Demo;
using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>The demo county (<see cref="DemoFixture"/>) on real Kestrel and headless Debian Chromium.</summary>
public sealed class DemoBrowserFixture : IAsyncLifetime
{
    public DemoFixture Demo { get; } = new();
    public string BaseUrl { get; private set; } = "";
    public IBrowser? Browser { get; private set; }
    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        if (BrowserFixture.Unavailable is not null) return;
        await ((IAsyncLifetime)Demo).InitializeAsync();
        BaseUrl = Demo.StartKestrel();
        (_playwright, Browser) = await BrowserFixture.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (BaseUrl != "") await ((IAsyncLifetime)Demo).DisposeAsync();
    }

    /// <summary>A page at 1366 × 768 signed in as the demo <paramref name="user"/>, on the home page.</summary>
    public async Task<IPage> SignedInPageAsync(string user)
    {
        var page = await Browser!.NewPageAsync(new BrowserNewPageOptions
        {
            BaseURL = BaseUrl, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        page.SetDefaultTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(90_000);
        await page.GotoAsync("/Account/Login", new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
        return page;
    }
}

/// <summary>
/// Issue #15, width: every menu page (plus the widest ones, 优质均衡, 指标生名额, 审计) fits the window at 1366 px and on
/// a 390 px phone — wide tables scroll in their own box — and on the phone 退出 is on screen and the menu folds.
/// </summary>
public class PhoneLayoutBrowserTests(DemoBrowserFixture fx) : IClassFixture<DemoBrowserFixture>
{
    private static readonly string[] Wide = ["/Indicators/Balance", "/Audit", "/Students", "/Schools"];

    [SkippableTheory]
    [InlineData("xuexiao")]
    [InlineData("admin")]
    public async Task MenuPages_DesktopAndPhone_NoPageWiderThanWindow(string user)
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await fx.SignedInPageAsync(user);

        var menu = await page.Locator("nav.sidenav a").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        Assert.Contains("/Students", menu);
        var pages = menu.Concat(user == "admin" ? Wide : []).Distinct().ToList();
        if (user == "admin")
        {
            // A 中考 dataset with 20 high schools: the 指标生名额分配表 has a column per high school (6306 px in #15).
            await using var db = fx.Demo.Open();
            var plans = Enumerable.Range(1, 20).Select(i => new HighSchoolPlan($"H{i:00}", $"县第{i}高级中学（含国际部与艺术特长班）", 100, 40)).ToList();
            var input = new AdmissionInput(plans, [new Applicant("A01", "张甲", "4500000002", 610, 100, 100, 100, ["H01"])],
                [new JuniorSchool("4500000002", "县城关初级中学", "城关镇", 300), new JuniorSchool("4500000004", "东岗镇初级中学", "东岗镇", 200)]);
            var ds = await AdmissionRuns.SaveDatasetAsync(db, input, [], "zk.xlsx", "2026年中考（版式）", "admin", "九年级毕业生");
            pages.Add($"/Admission/Quotas?id={ds.Id}");
        }
        var tooWide = new List<string>();
        foreach (var path in pages)
        {
            await page.SetViewportSizeAsync(1366, 768);
            var response = await page.GotoAsync(path);
            Assert.True(response!.Ok, $"{path}: HTTP {response.Status}");
            foreach (var width in new[] { 1366, 390 })
            {
                await page.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
                var (scroll, inner) = await WidthsAsync(page);
                if (scroll > inner) tooWide.Add($"{path} @{width}px: {scroll} > {inner}");
            }
            // EDU_SCREENSHOTS=<dir>: keep the home page and /Students at both widths to look at (docs/features/screenshots).
            if (Environment.GetEnvironmentVariable("EDU_SCREENSHOTS") is { Length: > 0 } dir && path is "/" or "/Students")
                foreach (var width in new[] { 1366, 390 })
                {
                    await page.SetViewportSizeAsync(width, width == 390 ? 844 : 768);
                    await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"{user}-{(path == "/" ? "home" : "students")}-{width}.png") });
                }
            // On the phone 退出 is fully on screen without scrolling sideways.
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeInViewportAsync(new() { Ratio = 1 });
        }
        Assert.True(tooWide.Count == 0, "页面比窗口宽：\n" + string.Join("\n", tooWide));

        // The phone menu is folded behind 菜单 and opens from the keyboard.
        await Assertions.Expect(page.Locator("nav.sidenav")).ToBeHiddenAsync();
        await page.Locator("#menu-toggle").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("nav.sidenav a[href='/Students']")).ToBeVisibleAsync();
    }

    private static async Task<(int Scroll, int Inner)> WidthsAsync(IPage page)
    {
        var w = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        return (w[0], w[1]);
    }
}
