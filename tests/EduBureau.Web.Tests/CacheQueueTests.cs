using System.Diagnostics;
using System.Net;
using System.Text;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace EduBureau.Web.Tests;

// Issue #14, findings 5, 9, 11 and 13: bounded caches, 临界生 by school id, no pupil oracle in the score upload, edits
// that do not wait for an import's write lock, and the queue position of a waiting job. Each class has its own app.

/// <summary>Finding 9: 临界生 lines typed by a read-only role do not add cache entries; the cache has a size limit.</summary>
public class ExamCacheBoundTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Critical_200DistinctLinesByReadOnlyRole_CacheEntriesAndSizeBounded()
    {
        var id = await ExamPagesTests.ExamFor(app);
        var client = await app.LoginAsync("keshi");

        for (var i = 0; i < 200; i++)
        {
            var line = (100 + i * 0.37).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
            var response = await client.GetAsync($"/Exams/Critical?id={id}&line={line}&within={i % 50}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        // Still per line, from the one cached report: 总分 小明 170, 西乡娃 120, 小红 60, 中学生 50.
        var at120 = await client.GetStringAsync($"/Exams/Critical?id={id}&line=120&within=0");
        var at170 = await client.GetStringAsync($"/Exams/Critical?id={id}&line=170&within=0");

        Assert.Contains("西乡娃", at120);
        Assert.DoesNotContain("小明", at120);
        Assert.Contains("小明", at170);
        Assert.DoesNotContain("西乡娃", at170);
        var cache = (MemoryCache)app.Services.GetRequiredService<IMemoryCache>();
        var stats = cache.GetCurrentStatistics();
        Assert.NotNull(stats);
        // One exam report plus the years, units and the like: a handful, not one per typed line.
        Assert.InRange(stats.CurrentEntryCount, 1, 10);
        Assert.NotNull(stats.CurrentEstimatedSize);
        Assert.InRange(stats.CurrentEstimatedSize.Value, 1, 100L * 1024 * 1024);
    }
}

/// <summary>Finding 11: a school renamed to another school's name still sees only its own 临界生.</summary>
public class CriticalBySchoolIdTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Critical_SchoolRenamedToAnothersName_ListsOnlyOwnPupils()
    {
        var id = await ExamPagesTests.ExamFor(app);
        await using (var db = Database.OpenSystem(app.Database, "test"))
        {
            // 东镇小学 (the "school" login) takes the name of 西乡小学 (西乡娃's school).
            var school = await db.Schools.SingleAsync(s => s.Id == app.County.EastPrimary.Id);
            var unit = await db.OrgUnits.SingleAsync(u => u.Id == app.County.EastPrimary.Id);
            school.Name = unit.Name = "西乡小学";
            await db.SaveChangesAsync();
        }
        var client = await app.LoginAsync("school");

        var html = await client.GetStringAsync($"/Exams/Critical?id={id}&line=100&within=200");

        Assert.Contains("小明", html);
        Assert.Contains("小红", html);
        Assert.DoesNotContain("西乡娃", html);
        Assert.DoesNotContain("中学生", html);
    }
}

/// <summary>Finding 5: a school uploading other schools' 学籍号 learns nothing about those pupils.</summary>
public class ScoreUploadOracleTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Upload_OtherSchoolsAndUnknownStudentNos_SameMessageAndNothingOfThePupils()
    {
        var id = await ExamPagesTests.ExamFor(app);
        var client = await app.LoginAsync("school");
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, $"/Exams/Upload?id={id}");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        // W1 (西乡娃, 西乡小学 4500000003, another township), J1 (中学生, 东镇中学 4500000002, same township, another
        // school), NOPE (nobody); P1 is the school's own pupil, with a different name typed.
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("学籍号,姓名,学校标识码,班级,语文,数学\n" +
            "W1,某某,4500000001,1班,50,50\nJ1,某某,4500000001,1班,50,50\nNOPE,某某,4500000001,1班,50,50\nP1,某某,4500000001,1班,90,80\n")), "file", "成绩.csv");

        var response = await client.PostAsync($"/Exams/Upload?id={id}", form);

        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("未导入任何成绩", html);
        // Rows 2, 3 and 4 say the same words; nothing names, places or grades W1 or J1.
        Assert.Equal(3, CountOf(html, ImportScores.NotInScopeMessage));
        Assert.DoesNotContain("西乡娃", html);
        Assert.DoesNotContain("中学生", html);
        Assert.DoesNotContain("4500000003", html);
        Assert.DoesNotContain("4500000002", html);
        Assert.DoesNotContain("不一致", html);
        Assert.DoesNotContain("系统中没有这个学籍号", html);
        // The school's own pupil still gets the name check.
        Assert.Contains("与学籍中的姓名“小明”不同", html);
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}

/// <summary>Finding 13: an edit while another connection holds SQLite's write lock answers within seconds, saving nothing.</summary>
public class EditDuringImportTests : IClassFixture<RosterFixture>
{
    private readonly RosterFixture _fx;
    public EditDuringImportTests(RosterFixture fx) => _fx = fx;

    [Fact]
    public async Task EditStudent_WriteLockHeldByImport_BusyMessageWithinSecondsAndNothingSaved()
    {
        var pupil = await _fx.AddPupilAsync("锁等待");
        var client = await _fx.App.LoginAsync("admin");
        var e = pupil.Enrollments.Single();
        var fields = new Dictionary<string, string>
        {
            ["Form.StudentNo"] = pupil.StudentNo, ["Form.Name"] = "锁等待改名", ["Form.Gender"] = ((int)pupil.Gender).ToString(),
            ["Form.BirthDate"] = pupil.BirthDate.ToString("yyyy-MM-dd"), ["Form.IdNumber"] = "", ["Form.Ethnicity"] = "",
            ["Form.HouseholdTownship"] = "", ["Form.SchoolId"] = e.SchoolId.ToString(), ["Form.Grade"] = ((int)e.Grade).ToString(),
            ["Form.ClassName"] = "", ["Form.Version"] = pupil.Version.ToString(),
            ["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(client, $"/Students/Edit/{pupil.Id}"),
        };

        var (response, elapsed) = await WhileLockedAsync(() => client.PostAsync($"/Students/Edit/{pupil.Id}", new FormUrlEncodedContent(fields)));
        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WriteLock.BusyMessage, html);
        Assert.Contains("value=\"锁等待改名\"", html); // the form is kept
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"等待了 {elapsed.TotalSeconds:0.0} 秒");
        Assert.Equal("锁等待", (await _fx.FindAsync(pupil.Id))!.Name);
    }

    /// <summary>A page without its own answer (here Identity's password change) gets the 503 page with the same words.</summary>
    [Fact]
    public async Task ChangePassword_WriteLockHeldByImport_ServiceUnavailableWithBusyMessage()
    {
        var client = await _fx.App.LoginAsync("duxue");
        var fields = new Dictionary<string, string>
        {
            ["CurrentPassword"] = WebAppFactory.Password, ["NewPassword"] = "Lijiang2026river", ["ConfirmPassword"] = "Lijiang2026river",
            ["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/ChangePassword"),
        };

        var (response, elapsed) = await WhileLockedAsync(() => client.PostAsync("/Account/ChangePassword", new FormUrlEncodedContent(fields)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(WriteLock.BusyMessage, RosterFixture.Decode(await response.Content.ReadAsStringAsync()));
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"等待了 {elapsed.TotalSeconds:0.0} 秒");
        // Nothing saved: the old password still signs in.
        await _fx.App.LoginAsync("duxue");
    }

    /// <summary>Signing in writes only bookkeeping (the last sign-in time): an import holding the lock must not keep users out.</summary>
    [Fact]
    public async Task Login_WriteLockHeldByImport_SignsIn()
    {
        HttpClient? client = null;
        var (_, elapsed) = await WhileLockedAsync(async () =>
        {
            client = await _fx.App.LoginAsync("keshi");
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"等待了 {elapsed.TotalSeconds:0.0} 秒");
        Assert.Equal(HttpStatusCode.OK, (await client!.GetAsync("/api/students")).StatusCode);
    }

    /// <summary>Sends <paramref name="request"/> while a second connection holds the write lock, as an import job's transaction does on SQLite.</summary>
    private async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> WhileLockedAsync(Func<Task<HttpResponseMessage>> request)
    {
        await using var holder = new SqliteConnection(_fx.App.Database.ConnectionString);
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }
        try
        {
            var watch = Stopwatch.StartNew();
            var response = await request();
            return (response, watch.Elapsed);
        }
        finally
        {
            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Deliverable 7: a queued import shows how many jobs are before it (PostgreSQL: a paused import does not block the queue's inserts).</summary>
public class JobQueuePositionTests
{
    [SkippableFact]
    public async Task ImportResult_TwoJobsAhead_ShowsQueuePosition()
    {
        await using var db = await TestDatabase.CreateAsync("Postgres");
        await using (var ctx = db.Open())
        {
            var county = await TinyCounty.SeedAsync(ctx);
            await UserAccounts.CreateAsync(ctx, "school", WebAppFactory.Password, Roles.School, county.EastPrimary.Id);
        }
        var folder = Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N"));
        await using var host = new AnyDatabaseHost(db.Options, folder, testDelayMs: 120_000);
        var client = await host.LoginAsync("school", WebAppFactory.Password);
        var small = JobTestHelpers.Header + "\n" + JobTestHelpers.Pupil("Q0001", new DateOnly(2017, 1, 1), 1) + "\n";

        // 16,400 rows: the two-pass import reports 写入 at its 16,384th row and pauses there (inside its transaction)
        // until the host stops.
        var big = JobTestHelpers.Header + "\n" + string.Join("\n", Enumerable.Range(0, 16_400)
            .Select(i => JobTestHelpers.Pupil($"B{i:00000}", new DateOnly(2017, 1, 1).AddDays(i / 400), (i % 400) * 2 + 1))) + "\n";
        var running = await JobTestHelpers.SubmitAsync(client, big, "一.csv");
        await JobTestHelpers.WaitAsync(client, running, html => html.Contains("写入", StringComparison.Ordinal));
        var second = await JobTestHelpers.SubmitAsync(client, small, "二.csv");
        var third = await JobTestHelpers.SubmitAsync(client, small, "三.csv");

        Assert.Contains("排队中：前面还有 1 个任务", await client.GetStringAsync(second));
        Assert.Contains("排队中：前面还有 2 个任务", await client.GetStringAsync(third));
        var list = await client.GetStringAsync("/Jobs");
        Assert.Contains("排队中：前面还有 1 个任务", list);
        Assert.Contains("排队中：前面还有 2 个任务", list);
    }
}
