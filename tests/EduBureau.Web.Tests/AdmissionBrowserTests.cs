using System.Text.RegularExpressions;
using EduBureau.Core.Admission;
using EduBureau.Core.Security;
using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>
/// /Admission/Runs and /Admission/Compare in a real browser on a 390 px wide phone: the compare pickers and the tables'
/// scroll boxes stay within the screen (wide tables scroll inside their box, not the page).
/// </summary>
public class AdmissionBrowserTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task RunsAndCompare_PhoneWidth_FitTheScreen()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        int a, b;
        await using (var db = Core.Data.Database.OpenSystem(fx.Roster.App.Database, "test"))
        {
            var input = new AdmissionInput([new HighSchoolPlan("H1", "县第一高级中学", 1, 0)],
            [
                new Applicant("A01", "张甲", "4500000002", 610, 100, 100, 100, ["H1"]),
                new Applicant("A02", "张乙", "4500000002", 500, 100, 100, 100, ["H1"]),
            ]);
            var ds = await AdmissionRuns.SaveDatasetAsync(db, input, [], "zk.xlsx", "2026年中考（手机）", "admin", "考生人数");
            a = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, new RunSettings(), "admin"))!.Run.Id;
            b = (await AdmissionRuns.ComputeAndStoreAsync(db, ds.Id, new RunSettings { MinLine = 615 }, "admin"))!.Run.Id;
        }
        var page = await fx.Browser!.NewPageAsync(new BrowserNewPageOptions
        {
            BaseURL = fx.BaseUrl, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        page.SetDefaultTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(90_000);

        await page.GotoAsync("/Account/Login?ReturnUrl=%2FAdmission%2FRuns", new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByLabel("用户名").FillAsync("admin");
        await page.GetByLabel("密码").FillAsync(WebAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Admission/Runs$"));
        foreach (var box in new[] { "select#a", "select#b", "div.adm-scroll" })
        {
            var r = (await page.Locator(box).First.BoundingBoxAsync())!;
            Assert.True(r.X + r.Width <= 390, $"{box} 超出屏幕：{r.X}+{r.Width}");
        }

        await page.Locator("select#a").SelectOptionAsync($"{a}");
        await page.Locator("select#b").SelectOptionAsync($"{b}");
        await page.GetByRole(AriaRole.Button, new() { Name = "对比" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/Admission/Compare\\?a={a}&b={b}$"));
        await Assertions.Expect(page.Locator(".card .value").First).ToHaveTextAsync("1");
        foreach (var scroll in await page.Locator("div.adm-scroll").AllAsync())
        {
            var r = (await scroll.BoundingBoxAsync())!;
            Assert.True(r.X + r.Width <= 390, $"表格区域超出屏幕：{r.X}+{r.Width}");
        }
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"), "页面不应横向滚动");
    }
}
