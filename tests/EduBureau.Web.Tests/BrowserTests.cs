using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>
/// The app on real Kestrel and a headless Debian Chromium (never a downloaded browser), seeded like <see cref="RosterFixture"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public RosterFixture Roster { get; } = new();
    public string BaseUrl { get; private set; } = "";
    public IBrowser? Browser { get; private set; }
    private IPlaywright? _playwright;

    /// <summary>Why the browser tests cannot run here, or null. Under CI a missing browser is a failure, not a skip.</summary>
    public static string? Unavailable =>
        File.Exists(ChromiumPath) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? null
            : $"{ChromiumPath} 不存在（apt-get install chromium）；未设置 CI 环境变量，跳过浏览器测试";

    public async Task InitializeAsync()
    {
        if (Unavailable is not null) return;
        await ((IAsyncLifetime)Roster).InitializeAsync();
        BaseUrl = Roster.App.StartKestrel();
        (_playwright, Browser) = await LaunchAsync();
    }

    /// <summary>Playwright driving the headless Debian Chromium at <see cref="ChromiumPath"/>.</summary>
    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (BaseUrl != "") await ((IAsyncLifetime)Roster).DisposeAsync();
    }
}

public class BrowserTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task SchoolClerk_SearchesEditsAndSavesPupil_SeesChangeAndSuccessMessage()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await NewPageAsync();

        await page.GotoAsync("/Students", new() { WaitUntil = WaitUntilState.Commit });
        await ArriveAsync(page, new Regex("/Account/Login"));
        await SignInAsync(page, "school");
        await ArriveAsync(page, new Regex("/Students$"));

        // The unfiltered list already shows 赵六: wait for the search's own page, or the click below races it.
        await SearchAsync(page, "赵六");
        await page.GetByRole(AriaRole.Link, new() { Name = "赵六" }).ClickAsync();
        await ArriveAsync(page, new Regex($"/Students/Detail/{fx.Roster.ZhaoId}$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "编辑", Exact = true }).ClickAsync();
        await page.Locator("#Form_Name").FillAsync("赵六六");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await ArriveAsync(page, new Regex($"/Students/Detail/{fx.Roster.ZhaoId}\\?saved=1$"));

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已保存。");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("赵六六");
        Assert.Equal("赵六六", (await fx.Roster.FindAsync(fx.Roster.ZhaoId))!.Name);
    }

    [SkippableFact]
    public async Task Inspector_SearchesPupilAndOpensDetail_SeesMaskedIdNumberAndNoEditButton()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await NewPageAsync();
        var full = fx.Roster.ZhaoIdNumber;

        await page.GotoAsync("/Account/Login?ReturnUrl=%2FStudents", new() { WaitUntil = WaitUntilState.Commit });
        await SignInAsync(page, "duxue");
        await ArriveAsync(page, new Regex("/Students$"));
        await SearchAsync(page, full); // found by the full number, shown masked
        await page.GetByRole(AriaRole.Link, new() { Name = "赵六" }).ClickAsync();
        await ArriveAsync(page, new Regex($"/Students/Detail/{fx.Roster.ZhaoId}$"));

        await Assertions.Expect(page.Locator("dt:text-is('身份证件号') + dd")).ToHaveTextAsync(IdNumber.Mask(full));
        Assert.Equal("**************123" + full[^1], IdNumber.Mask(full));
        Assert.DoesNotContain(full, await page.ContentAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "编辑", Exact = true })).ToHaveCountAsync(0);
    }

    [SkippableFact]
    public async Task SchoolClerk_UploadsRosterWithAnotherSchoolsRow_SeesNamedErrorThenImportsCorrectedFile()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await NewPageAsync();
        var headers = EduBureau.Core.Imports.Template.For(EduBureau.Core.Imports.ImportEntity.Students).Columns.Select(c => c.Header);
        string Row(string no, string name, string school, int seq)
        {
            var id = IdNumber.Create("450102", new DateOnly(2017, 3, 1), seq);
            return $"{no},{name},男,2017-03-01,{id},汉族,{school},三年级,三(1)班,2023-09,走读,否,否,否,否,否,否,无,否,东镇,在读";
        }
        var dir = Directory.CreateTempSubdirectory("edu-browser-").FullName;
        var bad = Path.Combine(dir, "学生名单.csv");
        var good = Path.Combine(dir, "学生名单（改）.csv");
        await File.WriteAllTextAsync(bad, string.Join("\n", [string.Join(",", headers), Row("BQ7", "钱七", "4500000001", 71), Row("BS8", "孙八", "4500000003", 81)]) + "\n");
        await File.WriteAllTextAsync(good, string.Join("\n", [string.Join(",", headers), Row("BQ7", "钱七", "4500000001", 71)]) + "\n");

        await page.GotoAsync("/Account/Login?ReturnUrl=%2FImports", new() { WaitUntil = WaitUntilState.Commit });
        await SignInAsync(page, "school");
        await ArriveAsync(page, new Regex("/Imports$"));
        await page.GetByLabel("数据类型").SelectOptionAsync("students");
        await page.GetByLabel("文件（.xlsx 或 UTF-8 CSV）").SetInputFilesAsync(bad);
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并检查" }).ClickAsync();

        // The result page refreshes itself until the import is done; then the other school's row is named.
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("导入失败");
        var row = page.Locator("tr", new() { HasText = "4500000003" });
        await Assertions.Expect(row).ToContainTextAsync("西乡小学不在你的管理范围内");
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("3");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "下载错误清单（原始行 + 错误列 + 汇总）" })).ToBeVisibleAsync();
        await using (var db = fx.Roster.Open())
            Assert.False(await db.Students.IgnoreQueryFilters().AnyAsync(s => s.StudentNo == "BQ7"));

        await page.GetByRole(AriaRole.Link, new() { Name = "返回数据导入" }).ClickAsync();
        await ArriveAsync(page, new Regex("/Imports$"));
        await page.GetByLabel("数据类型").SelectOptionAsync("students");
        await page.GetByLabel("文件（.xlsx 或 UTF-8 CSV）").SetInputFilesAsync(good);
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并检查" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("导入成功");
        await Assertions.Expect(page.Locator("#summary")).ToContainTextAsync("新增 1");
        await using (var db = fx.Roster.Open())
            Assert.Equal(fx.Roster.App.County.EastPrimary.Id, await db.Enrollments.IgnoreQueryFilters()
                .Where(e => e.Student.StudentNo == "BQ7").Select(e => e.SchoolId).SingleAsync());
    }

    /// <summary>A zh-CN page on the test server. CI machines are small and busy: generous waits keep the tests about behaviour, not speed.</summary>
    private async Task<IPage> NewPageAsync()
    {
        var page = await fx.Browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = fx.BaseUrl, Locale = "zh-CN" });
        page.SetDefaultTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(90_000);
        return page;
    }

    /// <summary>Fills and submits the login form the page is on.</summary>
    private static async Task SignInAsync(IPage page, string user)
    {
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync(WebAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }

    /// <summary>
    /// Waits until the page shows <paramref name="url"/>. Polls the address instead of <c>WaitForURLAsync</c>, which also
    /// waits for the page's "load" event: Playwright was seen (twice in about ten CI runs) to miss that event after a
    /// form post and redirect although the page was there, timing out after 90 s. Later locator steps wait for their
    /// own elements, so nothing here depends on load events.
    /// </summary>
    private static Task ArriveAsync(IPage page, Regex url) => Assertions.Expect(page).ToHaveURLAsync(url);

    /// <summary>Submits the pupil search form and waits for its results page (the unfiltered list may already show the pupil).</summary>
    private static async Task SearchAsync(IPage page, string text)
    {
        await page.GetByLabel("查找学生").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "查找", Exact = true }).ClickAsync();
        await ArriveAsync(page, new Regex(@"/Students\?q="));
    }
}
