using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Admission;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>
/// Stored admission runs through real HTTP, each test on its own SQLite file so an app can be stopped and started
/// again on it. The workbook: H1 县一中 (1 place); 甲 A01 610 and 丙 B01 600 (东镇中学 4500000002) and 乙 A02 500
/// (东镇小学 4500000001, the "school" login) all list H1 only: 甲 is admitted, 乙 and 丙 are not.
/// </summary>
public sealed class AdmissionRunsPageTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    /// <summary>The app over this test's database file (a new one = a restarted server).</summary>
    private sealed class App(DatabaseOptions db) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => TestHost.UseDatabase(builder, db);
    }

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("Sqlite");
        await using var ctx = _db.Open();
        var county = await TinyCounty.SeedAsync(ctx);
        await UserAccounts.CreateAsync(ctx, "admin", WebAppFactory.Password, Roles.BureauAdmin, county.County.Id);
        await UserAccounts.CreateAsync(ctx, "keshi", WebAppFactory.Password, Roles.Department, county.County.Id);
        await UserAccounts.CreateAsync(ctx, "school", WebAppFactory.Password, Roles.School, county.EastPrimary.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static Dictionary<string, object?> R(params (string, object?)[] cells) => cells.ToDictionary(c => c.Item1, c => c.Item2);

    private static async Task<string> UploadAsync(HttpClient admin)
    {
        var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object>
        {
            ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "县一中"), ("统招计划", 1), ("指标生计划", 0)) },
            ["考生"] = new[]
            {
                R(("考号", "A01"), ("姓名", "张甲"), ("毕业学校标识码", "4500000002"), ("总分", 610), ("志愿1", "H1")),
                R(("考号", "A02"), ("姓名", "张乙"), ("毕业学校标识码", "4500000001"), ("总分", 500), ("志愿1", "H1")),
                R(("考号", "B01"), ("姓名", "李丙"), ("毕业学校标识码", "4500000002"), ("总分", 600), ("志愿1", "H1")),
            },
        });
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Admission");
        var content = new ByteArrayContent(ms.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("2026年中考"), "Name" }, { content, "Upload", "zk.xlsx" } };
        var r = await admin.PostAsync("/Admission", form);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        return r.Headers.Location!.OriginalString;
    }

    /// <summary>The stored run a Run page shows (its filter form carries it).</summary>
    private static string RunIdOf(string runPage) => Regex.Match(runPage, "<input type=\"hidden\" name=\"run\" value=\"([0-9]+)\"").Groups[1].Value;

    /// <summary>The pupils table of the Mine page (the rest carries per-request tokens).</summary>
    private static string PupilTable(string mine) => Regex.Match(mine, "<table class=\"grid\">.*?</table>", RegexOptions.Singleline).Value;

    private static async Task<HttpResponseMessage> PublishAsync(HttpClient client, string runPage, string runId)
    {
        var token = Regex.Match(runPage, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync($"/Admission/Publish?run={runId}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    [Fact]
    public async Task Publish_ThenRestart_RunStillListedWithIdenticalResults()
    {
        string runId, json, mine;
        await using (var app = new App(_db.Options))
        {
            var admin = await app.LoginAsync("admin", WebAppFactory.Password);
            var runPage = await admin.GetStringAsync(await UploadAsync(admin));
            runId = RunIdOf(runPage);
            var publish = await PublishAsync(admin, runPage, runId);
            Assert.Equal($"/Admission/Run?run={runId}", publish.Headers.Location?.OriginalString);
            json = await admin.GetStringAsync($"/Admission/Run?run={runId}&handler=Json");
            mine = await (await app.LoginAsync("school", WebAppFactory.Password)).GetStringAsync("/Admission/Mine");
        }

        await using var restarted = new App(_db.Options);
        var again = await restarted.LoginAsync("admin", WebAppFactory.Password);
        var list = WebUtility.HtmlDecode(await again.GetStringAsync("/Admission/Runs"));
        var jsonAfter = await again.GetStringAsync($"/Admission/Run?run={runId}&handler=Json");
        var mineAfter = await (await restarted.LoginAsync("school", WebAppFactory.Password)).GetStringAsync("/Admission/Mine");

        Assert.Matches($"<td class=\"num\">{runId}</td><td>2026年中考</td><td class=\"settings\">[^<]+</td><td>已发布</td>", list);
        Assert.Equal(json, jsonAfter);
        Assert.Contains("\"examNo\": \"A01\"", jsonAfter);
        Assert.Equal(PupilTable(mine), PupilTable(mineAfter));
        Assert.Contains("张乙", mineAfter);
        Assert.DoesNotContain("李丙", mineAfter);
    }

    /// <summary>Default settings vs 最低控制线 615: nobody clears the line, so H1 stays empty — 甲 (admitted by default) is
    /// the one applicant placed differently, and H1's 统招 row goes from 610 / 1 admitted to — / 0.</summary>
    [Fact]
    public async Task Compare_TwoStoredRuns_ShowsDifferencesAndOnlyBureauRolesMayOpenIt()
    {
        await using var app = new App(_db.Options);
        var admin = await app.LoginAsync("admin", WebAppFactory.Password);
        var runUrl = await UploadAsync(admin);
        var a = RunIdOf(await admin.GetStringAsync(runUrl));
        var keshi = await app.LoginAsync("keshi", WebAppFactory.Password);
        var b = RunIdOf(await keshi.GetStringAsync(runUrl + "&minline=615")); // a read-only role viewing stores a 草稿
        var keshiPublish = await keshi.PostAsync($"/Admission/Publish?run={b}", new FormUrlEncodedContent([]));

        var compare = WebUtility.HtmlDecode(await keshi.GetStringAsync($"/Admission/Compare?a={a}&b={b}"));
        var school = await app.LoginAsync("school", WebAppFactory.Password);
        var schoolCompare = await school.GetAsync($"/Admission/Compare?a={a}&b={b}");
        var schoolRuns = await school.GetAsync("/Admission/Runs");
        var runs = WebUtility.HtmlDecode(await admin.GetStringAsync("/Admission/Runs"));

        Assert.NotEqual(string.Empty, b);
        Assert.NotEqual(a, b);
        Assert.Matches("<div>录取结果不同的考生</div><div class=\"value\">1</div>", compare);
        Assert.Matches("<tr><td>A01</td><td>张甲</td><td>4500000002</td><td class=\"num\">610</td>\\s*<td>县一中（统招）</td><td>未录取</td></tr>", compare);
        Assert.Matches("<td>统招</td><td>县一中（H1）</td>\\s*<td class=\"num\">610</td><td class=\"num\">—</td>\\s*<td class=\"num\">1</td><td class=\"num\">0</td>\\s*<td class=\"num\">-1</td>", compare);
        Assert.Equal(2, Regex.Matches(runs, "<td>草稿</td>").Count);
        Assert.NotEqual(HttpStatusCode.OK, keshiPublish.StatusCode);
        Assert.DoesNotContain("已发布", Regex.Replace(runs, "<p class=\"muted\">.*?</p>", ""));
        Assert.NotEqual(HttpStatusCode.OK, schoolCompare.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, schoolRuns.StatusCode);
    }

    [Fact]
    public async Task Start_LegacyAdmissionFolderBesideDatabase_ImportedOnceAndListedAsPublished()
    {
        var root = Path.Combine(Path.GetDirectoryName(_db.Options.SqliteFile!)!, "admission");
        AdmissionRunsTests.WriteLegacyFolder(root, "20250630020000-abc123", published: true);

        await using (var first = new App(_db.Options))
            await (await first.LoginAsync("admin", WebAppFactory.Password)).GetStringAsync("/Admission");
        await using var app = new App(_db.Options); // a second start imports nothing again
        var admin = await app.LoginAsync("admin", WebAppFactory.Password);
        var runs = WebUtility.HtmlDecode(await admin.GetStringAsync("/Admission/Runs"));
        var index = WebUtility.HtmlDecode(await admin.GetStringAsync("/Admission"));
        var runId = Regex.Match(runs, "<td class=\"num\">([0-9]+)</td><td>2025年中考</td>").Groups[1].Value;
        var json = await admin.GetStringAsync($"/Admission/Run?run={runId}&handler=Json");

        Assert.Single(Regex.Matches(runs, "<td>2025年中考</td>"));
        Assert.Contains("<td>已发布</td>", runs);
        Assert.Single(Regex.Matches(index, "<td>2025年中考</td>"));
        Assert.Contains("\"examNo\": \"A01\"", json);
        Assert.True(File.Exists(Path.Combine(root, "20250630020000-abc123", "meta.json")));
    }
}
