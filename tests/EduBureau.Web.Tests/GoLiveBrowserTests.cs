using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>The app on real Kestrel over an EMPTY, migrated SQLite file: nothing but what a new bureau brings.</summary>
public sealed class BlankDatabaseFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase _db = null!;
    public DatabaseOptions Database => _db.Options;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("Sqlite");

    protected override void ConfigureWebHost(IWebHostBuilder builder) => TestHost.UseDatabase(builder, _db.Options);

    public EduDbContext Open() => Core.Data.Database.OpenSystem(_db.Options, "test");

    public string StartKestrel() => TestHost.StartKestrel(this);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// Issue #12's acceptance: a bureau goes live from an empty installation in the browser — first administrator,
/// county and 5 townships from .xlsx, 18 schools, school accounts in bulk; a clerk signs in with the downloaded
/// initial password, must change it, imports the school's 2024 roster; the bureau then sees 2024 and its pupils.
/// </summary>
public class GoLiveBrowserTests : IClassFixture<BlankDatabaseFactory>, IAsyncLifetime
{
    private const string AdminPassword = "Shuiyun2026bureau";
    private const string ClerkPassword = "Qingshui2026xue";
    private static readonly string[] Townships = ["城关镇", "青山乡", "河口镇", "石桥乡", "白沙镇"];
    private readonly BlankDatabaseFactory _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _baseUrl = "";

    public GoLiveBrowserTests(BlankDatabaseFactory app) => _app = app;

    public async Task InitializeAsync()
    {
        if (BrowserFixture.Unavailable is not null) return;
        _baseUrl = _app.StartKestrel();
        (_playwright, _browser) = await BrowserFixture.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    [SkippableFact]
    public async Task NewBureau_FromEmptyInstallation_GoesLiveAndSeesSchoolRoster()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var dir = Directory.CreateTempSubdirectory("edu-golive-").FullName;
        var units = Workbook(dir, "单位", ImportEntity.Units,
            [["青水县", "县区", "450199", ""], .. Townships.Select((t, i) => new[] { t, i % 2 == 0 ? "乡镇" : "街道", $"45019910{i}", "450199" })]);
        var schools = Workbook(dir, "学校", ImportEntity.Schools, Enumerable.Range(1, 18).Select(i => SchoolRow(i)).ToList());
        const int pupils = 23;
        var roster = Workbook(dir, "学生", ImportEntity.Students, Enumerable.Range(1, pupils).Select(PupilRow).ToList());

        // The first administrator, as the README says for a real installation: /Setup on the server itself.
        var page = await NewPageAsync();
        await page.GotoAsync("/Setup", new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByLabel("本级教育局名称（如 某某县教育局）").FillAsync("青水县教育局");
        await page.GetByLabel("管理员用户名").FillAsync("juzhang");
        await page.GetByLabel("密码（至少10位，含字母和数字，不能是常见密码或包含用户名）").FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Arrive(page, "/Account/Login");
        await SignInAsync(page, "juzhang", AdminPassword);
        await Arrive(page, "/$");

        await ImportAsync(page, "units", 2026, units, "新增 5");
        await ImportAsync(page, "schools", 2026, schools, "新增 18");

        // School accounts in bulk; the workbook to hand out comes back as a download.
        await page.GotoAsync("/Users", new() { WaitUntil = WaitUntilState.Commit });
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "为尚无账号的学校批量创建账号" }).ClickAsync());
        var accounts = Path.Combine(dir, "账号.xlsx");
        await download.SaveAsAsync(accounts);
        var rows = ReadAccounts(accounts);
        Assert.Equal(18, rows.Count);
        var clerk = rows.Single(r => r.Unit == "青水县第1小学");
        await SignOutAsync(page);

        // The clerk must choose a new password before anything else, then imports last year's (2024) roster.
        await page.GotoAsync("/Account/Login", new() { WaitUntil = WaitUntilState.Commit });
        await SignInAsync(page, clerk.UserName, clerk.Password);
        await Arrive(page, "/Account/ChangePassword");
        await page.GotoAsync("/Imports", new() { WaitUntil = WaitUntilState.Commit });
        await Arrive(page, "/Account/ChangePassword");
        await page.Locator("#CurrentPassword").FillAsync(clerk.Password);
        await page.Locator("#NewPassword").FillAsync(ClerkPassword);
        await page.Locator("#ConfirmPassword").FillAsync(ClerkPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("密码已修改");
        await ImportAsync(page, "students", 2024, roster, $"新增 {pupils}");
        await SignOutAsync(page);

        // The bureau sees 2024 in the 学年 selector, chosen by default (the latest year with rosters), with the pupils.
        await page.GotoAsync("/Account/Login", new() { WaitUntil = WaitUntilState.Commit });
        await SignInAsync(page, "juzhang", AdminPassword);
        await Arrive(page, "/$");
        await Assertions.Expect(page.Locator("#year option[value='2024']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#year")).ToHaveValueAsync("2024");
        await Assertions.Expect(page.Locator(".cards").First.Locator(".card").Nth(2).Locator(".value")).ToHaveTextAsync(pupils.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await using var db = _app.Open();
        Assert.True(await db.SchoolYears.AnyAsync(y => y.Year == 2024));
        Assert.Equal(5, await db.OrgUnits.CountAsync(u => u.Kind == OrgUnitKind.Township));
        Assert.Equal(18, await db.Schools.CountAsync());
    }

    private static string[] SchoolRow(int i)
    {
        var template = Template.For(ImportEntity.Schools);
        var row = new string[template.Columns.Length];
        void Set(string header, string value) => row[template.IndexOf(header)] = value;
        Set("学校标识码", $"45019900{i:00}");
        Set("学校名称", $"青水县第{i}小学");
        Set("学段", i % 6 == 0 ? "初中" : "小学");
        Set("办别", "公办");
        Set("所属乡镇", Townships[i % Townships.Length]);
        Set("城乡分类", i % 3 == 0 ? "城区" : "乡村");
        return row;
    }

    private static string[] PupilRow(int i)
    {
        var template = Template.For(ImportEntity.Students);
        var row = new string[template.Columns.Length];
        void Set(string header, string value) => row[template.IndexOf(header)] = value;
        var birth = new DateOnly(2016, 1 + i % 12, 1 + i);
        var gender = i % 2 == 0 ? Gender.Female : Gender.Male;
        var id = IdNumber.Create("450199", birth, gender == Gender.Male ? 2 * i + 1 : 2 * i + 2);
        Set("学籍号", "G" + id);
        Set("姓名", $"学生{i}");
        Set("性别", gender.Zh());
        Set("出生日期", birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Set("身份证件号", id);
        Set("学校标识码", "4501990001");
        Set("年级", "三年级");
        Set("班级", i % 2 == 0 ? "三(1)班" : "三(2)班");
        Set("学籍状态", "在读");
        return row;
    }

    private static string Workbook(string dir, string name, ImportEntity entity, IReadOnlyList<string[]> rows)
    {
        var template = Template.For(entity);
        var path = Path.Combine(dir, name + ".xlsx");
        using var w = XlsxWriter.Create(path);
        w.StartSheet(template.Name);
        w.WriteRow(template.Columns.Select(c => c.Header).ToList(), bold: true);
        foreach (var r in rows) w.WriteRow(r);
        return path;
    }

    private sealed record Account(string UserName, string Password, string Unit, string Role);

    private static List<Account> ReadAccounts(string path) =>
        MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>()
            .Select(r => new Account($"{r["用户名"]}", $"{r["初始密码"]}", $"{r["单位"]}", $"{r["角色"]}")).ToList();

    private static async Task ImportAsync(IPage page, string entity, int year, string file, string expected)
    {
        await page.GotoAsync("/Imports", new() { WaitUntil = WaitUntilState.Commit });
        await Arrive(page, "/Imports$");
        await page.GetByLabel("数据类型").SelectOptionAsync(entity);
        await page.Locator("input[name=ImportYear]").FillAsync(year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("文件（.xlsx 或 UTF-8 CSV）").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并检查" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("导入成功");
        await Assertions.Expect(page.Locator("#summary")).ToContainTextAsync(expected);
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = _baseUrl, Locale = "zh-CN", AcceptDownloads = true });
        page.SetDefaultTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(90_000);
        return page;
    }

    private static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        await Arrive(page, "/Account/Log");
    }

    private static Task Arrive(IPage page, string url) => Assertions.Expect(page).ToHaveURLAsync(new Regex(url));
}
