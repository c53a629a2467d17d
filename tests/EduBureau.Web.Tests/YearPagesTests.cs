using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Core.Tests.Years;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduBureau.Web.Tests;

/// <summary>
/// The app over <see cref="YearCounty"/>'s 2024 rosters on an otherwise empty installation, as an import leaves it: no
/// <c>SchoolYears</c> row for 2024 (removed after seeding); with <c>emptyYear</c>, a 2026 row without any data too.
/// Logins: admin (局管理员, county) and xz (乡镇中心校, 东镇).
/// </summary>
public class YearsAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "test2026pass";
    private TestDatabase _db = null!;
    protected virtual bool Seed => true;
    public DatabaseOptions Database => _db.Options;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("Sqlite");
        await using var ctx = _db.Open();
        int countyId, townshipId;
        if (Seed)
        {
            var c = await YearCounty.SeedAsync(ctx);
            countyId = c.County.Id;
            townshipId = c.Schools["东镇小学"].TownshipId;
            await ctx.Database.ExecuteSqlRawAsync("DELETE FROM \"SchoolYears\"");
        }
        else
        {
            var county = new OrgUnit { Name = "空县", Kind = Core.Common.OrgUnitKind.County };
            ctx.OrgUnits.Add(county);
            await ctx.SaveChangesAsync();
            county.PlaceUnder(null);
            await ctx.SaveChangesAsync();
            countyId = townshipId = county.Id;
        }
        await UserAccounts.CreateAsync(ctx, "admin", Password, Roles.BureauAdmin, countyId);
        await UserAccounts.CreateAsync(ctx, "xz", Password, Roles.Township, townshipId);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => TestHost.UseDatabase(builder, _db.Options);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }

    public static (IReadOnlyList<int> Years, int? Selected) YearSelector(string html)
    {
        var select = Regex.Match(html, "<select id=\"year\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;
        var options = Regex.Matches(select, "<option value=\"(\\d+)\"( selected=\"selected\")?").Select(m => (Year: int.Parse(m.Groups[1].Value), Selected: m.Groups[2].Success)).ToList();
        return (options.Select(o => o.Year).ToList(), options.Where(o => o.Selected).Select(o => (int?)o.Year).FirstOrDefault());
    }

    public static string Card(string html, string label) =>
        Regex.Match(html, $"<div>{label}</div><div class=\"value\">([^<]*)</div>").Groups[1].Value;
}

/// <summary>An installation with no data at all.</summary>
public sealed class EmptyAppFactory : YearsAppFactory
{
    protected override bool Seed => false;
}

public class YearSelectorTests(YearsAppFactory app) : IClassFixture<YearsAppFactory>
{
    [Fact]
    public async Task Home_RostersOfOneYearWithoutYearRow_ShowsThatYearAndItsPupils()
    {
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            // An old database: 2022 staff without a year row, and an empty 2026 year row.
            ctx.SchoolYears.Add(SchoolYear.For(2026));
            await ctx.SaveChangesAsync();
            await ctx.Database.ExecuteSqlRawAsync("INSERT INTO \"StaffAssignments\" (\"StaffId\", \"Year\", \"SchoolId\", \"CountyId\") SELECT \"StaffId\", 2022, \"SchoolId\", \"CountyId\" FROM \"StaffAssignments\" WHERE \"Year\" = 2024 LIMIT 1");
        }
        // Writers outside the web app's own pages: the signal the web app raises after its writes expires the cached years.
        app.Services.GetRequiredService<DataChanges>().Signal();
        var client = await app.LoginAsync("admin", YearsAppFactory.Password);

        var html = await client.GetStringAsync("/");

        var (years, selected) = YearsAppFactory.YearSelector(html);
        Assert.Equal([2026, 2024, 2022], years);
        Assert.Equal(2024, selected);
        Assert.Contains("测试县 · 2024–2025学年", html);
        // 13 pupils minus A4 (转出).
        Assert.Equal("12", YearsAppFactory.Card(html, "在校生"));
        Assert.DoesNotContain("id=\"no-data\"", html);
    }

    [Fact]
    public async Task ScopeSwitch_ClosedTownship_NotOffered()
    {
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            var county = await ctx.OrgUnits.SingleAsync(u => u.Kind == Core.Common.OrgUnitKind.County);
            var old = new OrgUnit { Name = "旧乡", Kind = Core.Common.OrgUnitKind.Township, ClosedOn = new DateOnly(2020, 1, 1) };
            ctx.OrgUnits.Add(old);
            await ctx.SaveChangesAsync();
            old.PlaceUnder(county);
            await ctx.SaveChangesAsync();
        }
        app.Services.GetRequiredService<DataChanges>().Signal();
        var client = await app.LoginAsync("admin", YearsAppFactory.Password);

        var html = await client.GetStringAsync("/");

        var units = Regex.Match(html, "<select id=\"unit\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("东镇", units);
        Assert.Contains("西乡", units);
        Assert.DoesNotContain("旧乡", units);
    }

    [Fact]
    public async Task YearsPage_Township_Forbidden()
    {
        var client = await app.LoginAsync("xz", YearsAppFactory.Password);

        var get = await client.GetAsync("/Years");
        var post = await client.PostAsync("/Years", new FormUrlEncodedContent(new Dictionary<string, string> { ["year"] = "2025", ["Confirm"] = "true" }));

        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.True(post.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, post.StatusCode.ToString());
        Assert.DoesNotContain("href=\"/Years\"", await client.GetStringAsync("/"));
    }
}

public class EmptyInstallationTests(EmptyAppFactory app) : IClassFixture<EmptyAppFactory>
{
    [Fact]
    public async Task Home_NoDataAtAll_CalendarYearAndNoDataNotice()
    {
        var client = await app.LoginAsync("admin", YearsAppFactory.Password);

        var html = await client.GetStringAsync("/");

        var calendar = SchoolYears.Containing(DateTimeOffset.Now);
        var (years, selected) = YearsAppFactory.YearSelector(html);
        Assert.Equal([calendar], years);
        Assert.Equal(calendar, selected);
        Assert.Contains("id=\"no-data\"", html);
        Assert.Contains("还没有任何学年的数据", html);
    }
}

public class YearRolloverPageTests(YearsAppFactory app) : IClassFixture<YearsAppFactory>
{
    [Fact]
    public async Task OpenYear_PreviewThenConfirm_WritesYearAndSelectsIt()
    {
        var client = await app.LoginAsync("admin", YearsAppFactory.Password);

        var page = await client.GetStringAsync("/Years");
        Assert.Contains("href=\"/Years\"", page);
        Assert.Contains("开启2025学年：升级 6 人，毕业 5 人，新建班级 5 个，教职工 5 人", page);
        Assert.Contains("<summary>东镇（3 所学校）</summary>", page);
        Assert.Contains("<summary>西乡（2 所学校）</summary>", page);
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var unconfirmed = await client.PostAsync("/Years", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["year"] = "2025", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains("请先核对预览", await unconfirmed.Content.ReadAsStringAsync());

        var post = await client.PostAsync("/Years", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["year"] = "2025", ["Confirm"] = "true", ["GraduationDate"] = "2025-07-01", ["__RequestVerificationToken"] = token,
        }));

        // The opening runs as a job (开启学年); its result page links back to the opened year.
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var job = post.Headers.Location!.OriginalString;
        Assert.StartsWith("/Jobs/Result?id=", job, StringComparison.Ordinal);
        var done = await JobTestHelpers.WaitAsync(client, job, JobTestHelpers.Finished);
        Assert.Contains("href=\"/Years?opened=2025\"", done);
        var after = await client.GetStringAsync("/Years?opened=2025");
        Assert.Contains("已开启2025学年", after);
        Assert.Contains("<tr data-year=\"2025\"><td>2025–2026学年</td><td class=\"num\">6</td><td class=\"num\">5</td><td class=\"num\">5</td></tr>", after);
        var (years, selected) = YearsAppFactory.YearSelector(after);
        Assert.Equal([2025, 2024], years);
        Assert.Equal(2025, selected);
        var home = await client.GetStringAsync("/");
        Assert.Equal("6", YearsAppFactory.Card(home, "在校生"));
        await using var ctx = Database.OpenSystem(app.Database, "test");
        Assert.Equal(5, await ctx.StatusEvents.CountAsync(e => e.Date == new DateOnly(2025, 7, 1)));
        Assert.Equal(1, await ctx.AuditLog.CountAsync(a => a.Action == "开启学年" && a.UserName == "admin"));
    }
}

public class YearAfterImportTests(YearsAppFactory app) : IClassFixture<YearsAppFactory>
{
    [Fact]
    public async Task Import_RostersOfNewYear_SelectorListsAndDefaultsToIt()
    {
        var client = await app.LoginAsync("admin", YearsAppFactory.Password);
        Assert.Equal([2024], YearsAppFactory.YearSelector(await client.GetStringAsync("/")).Years); // cached now
        var header = string.Join(",", Core.Imports.Template.For(Core.Imports.ImportEntity.Students).Columns.Select(c => c.Header));
        var id = Core.Common.IdNumber.Create("450102", new DateOnly(2019, 3, 1), 11);
        var csv = header + "\n" + $"N1,新生,男,2019-03-01,{id},汉族,4500000001,三年级,三(1)班,2025-09,走读,否,否,否,否,否,否,无,否,东镇,在读" + "\n";

        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Imports");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        form.Add(new StringContent("students"), "Entity");
        form.Add(new StringContent("2027"), "ImportYear");
        form.Add(new StringContent("upsert"), "Mode");
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(file, "Upload", "2027.csv");
        var post = await client.PostAsync("/Imports", form);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        string result = "";
        for (var i = 0; i < 300; i++)
        {
            result = await client.GetStringAsync(post.Headers.Location!.ToString());
            if (!result.Contains("http-equiv=\"refresh\"")) break;
            await Task.Delay(100);
        }
        Assert.Contains("导入成功", result);

        var home = await client.GetStringAsync("/");

        var (years, selected) = YearsAppFactory.YearSelector(home);
        Assert.Equal([2027, 2024], years);
        Assert.Equal(2027, selected);
        Assert.Equal("1", YearsAppFactory.Card(home, "在校生"));
    }
}
