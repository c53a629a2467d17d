using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Jobs;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>The app on a given SQLite file; several in turn on the same file make a restart. <c>Jobs:TestDelayMs</c> pauses imports at 写入.</summary>
public sealed class JobHost(DatabaseOptions db, int testDelayMs = 0) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        TestHost.UseDatabase(builder, db);
        if (testDelayMs > 0) builder.UseSetting("Jobs:TestDelayMs", testDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

internal static class JobTestHelpers
{
    public static readonly string Header = string.Join(",", Template.For(ImportEntity.Students).Columns.Select(c => c.Header));

    public static string Pupil(string no, DateOnly birth, int seq, string school = "4500000001") =>
        $"{no},测试生,{(seq % 2 == 1 ? "男" : "女")},{birth:yyyy-MM-dd},{IdNumber.Create("450102", birth, seq)},汉族,{school},三年级,三(1)班,2023-09,走读,否,否,否,否,否,否,无,否,东镇,在读";

    /// <summary>Posts the file to /Imports and returns the result page's address.</summary>
    public static async Task<string> SubmitAsync(HttpClient client, string csv, string fileName, int year = 2025)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Imports");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        form.Add(new StringContent("students"), "Entity");
        form.Add(new StringContent(year.ToString(System.Globalization.CultureInfo.InvariantCulture)), "ImportYear");
        form.Add(new StringContent("upsert"), "Mode");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "Upload", fileName);
        var post = await client.PostAsync("/Imports", form);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        return post.Headers.Location!.ToString();
    }

    public static int IdOf(string resultUrl) => int.Parse(resultUrl[(resultUrl.IndexOf("id=", StringComparison.Ordinal) + 3)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads the result page until <paramref name="until"/> holds (60 s at most).</summary>
    public static async Task<string> WaitAsync(HttpClient client, string url, Func<string, bool> until)
    {
        for (var i = 0; i < 600; i++)
        {
            var html = await client.GetStringAsync(url);
            if (until(html)) return html;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{url} 未在 60 秒内达到预期状态");
    }

    public static bool Finished(string html) => !html.Contains("http-equiv=\"refresh\"", StringComparison.Ordinal);
}

/// <summary>Imports as persisted jobs on the shared test app: stored outcome, 导入记录, scope.</summary>
public class JobPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private async Task EnsureWestSchoolAccountAsync()
    {
        await using var ctx = Database.OpenSystem(app.Database, "test");
        if (!await ctx.Users.AnyAsync(u => u.UserName == "westschool"))
            await UserAccounts.CreateAsync(ctx, "westschool", WebAppFactory.Password, Roles.School, app.County.WestPrimary.Id);
    }

    private async Task<Job> JobAsync(int id)
    {
        await using var ctx = Database.OpenSystem(app.Database, "test");
        return await ctx.Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    [Fact]
    public async Task Upload_GoodFile_JobDoneWithCountsAndListedInRecords()
    {
        var client = await app.LoginAsync("school");
        var url = await JobTestHelpers.SubmitAsync(client, JobTestHelpers.Header + "\n" + JobTestHelpers.Pupil("J1", new DateOnly(2017, 3, 1), 201) + "\n", "作业好文件.csv");

        var html = await JobTestHelpers.WaitAsync(client, url, JobTestHelpers.Finished);
        var job = await JobAsync(JobTestHelpers.IdOf(url));
        var records = await client.GetStringAsync("/Imports");

        Assert.Contains("导入成功：共 1 行，新增 1，更新 0，未变化 0", html);
        Assert.Equal((JobState.Done, "school", JobKinds.Import, app.County.EastPrimary.Path), (job.State, job.Owner, job.Kind, job.UnitPath));
        var result = ImportJobResult.Parse(job.ResultSummary)!;
        Assert.Equal((true, 1, 1, 0, 0), (result.Success, result.Rows, result.Inserted, result.Updated, result.Errors));
        Assert.NotNull(job.StartedUtc);
        Assert.NotNull(job.FinishedUtc);
        var p = ImportJobParameters.Parse(job.Parameters)!;
        Assert.Equal(("students", 2025, "upsert", "作业好文件.csv"), (p.Entity, p.Year, p.Mode, p.FileName));
        Assert.Contains("导入记录", records);
        Assert.Contains($"<a href=\"/Imports/Result?id={job.Id}\">作业好文件.csv</a>", records);
    }

    [Fact]
    public async Task Upload_BadFile_JobFailedWithIssuesAndWorkbookStored()
    {
        var client = await app.LoginAsync("school");
        var csv = JobTestHelpers.Header + "\n" + JobTestHelpers.Pupil("J2", new DateOnly(2017, 3, 1), 203) + "\n"
            + JobTestHelpers.Pupil("J3", new DateOnly(2017, 3, 1), 205, school: "4500000003") + "\n";
        var url = await JobTestHelpers.SubmitAsync(client, csv, "作业坏文件.csv");

        var html = await JobTestHelpers.WaitAsync(client, url, JobTestHelpers.Finished);
        var job = await JobAsync(JobTestHelpers.IdOf(url));

        Assert.Contains("导入失败，未写入任何数据：错误 1 条", html);
        Assert.Equal(JobState.Failed, job.State);
        var result = ImportJobResult.Parse(job.ResultSummary)!;
        Assert.Equal((false, 2, 1, true), (result.Success, result.Rows, result.Errors, result.HasErrorWorkbook));
        Assert.Contains(result.Issues, i => i.Error && i.Row == 3 && i.Message.Contains("西乡小学不在你的管理范围内", StringComparison.Ordinal));
        Assert.NotNull(job.ErrorWorkbookPath);
        Assert.DoesNotContain("/tmp", job.ErrorWorkbookPath!, StringComparison.Ordinal); // stored relative to the upload folder
        var download = await client.GetAsync(url + "&handler=Errors");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal((byte)'P', (await download.Content.ReadAsByteArrayAsync())[0]);
    }

    [Fact]
    public async Task Result_AnotherSchoolsJob_NotFoundButTownshipAndBureauSeeIt()
    {
        await EnsureWestSchoolAccountAsync();
        var school = await app.LoginAsync("school");
        var csv = JobTestHelpers.Header + "\n" + JobTestHelpers.Pupil("J4", new DateOnly(2017, 3, 1), 207) + "\n"
            + JobTestHelpers.Pupil("J5", new DateOnly(2017, 3, 1), 209, school: "4500000003") + "\n";
        var url = await JobTestHelpers.SubmitAsync(school, csv, "范围.csv");
        await JobTestHelpers.WaitAsync(school, url, JobTestHelpers.Finished);
        var west = await app.LoginAsync("westschool");
        var keshi = await app.LoginAsync("keshi");
        var east = await app.LoginAsync("east");

        Assert.Equal(HttpStatusCode.NotFound, (await west.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await west.GetAsync(url + "&handler=Errors")).StatusCode);
        Assert.DoesNotContain("范围.csv", await west.GetStringAsync("/Imports"));
        Assert.Contains("导入失败", await east.GetStringAsync(url));
        Assert.Contains("范围.csv", await east.GetStringAsync("/Imports"));
        // 科室 sees the outcome, but not the error workbook (the original rows with full ID numbers).
        var keshiHtml = await keshi.GetStringAsync(url);
        Assert.Contains("导入失败", keshiHtml);
        Assert.DoesNotContain("下载错误清单", keshiHtml);
        Assert.Equal(HttpStatusCode.NotFound, (await keshi.GetAsync(url + "&handler=Errors")).StatusCode);
    }
}

/// <summary>Jobs across restarts and cancellation, each test on its own database file and its own hosts.</summary>
public class JobRestartTests
{
    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync()
    {
        var db = await TestDatabase.CreateAsync("Sqlite");
        await using var ctx = db.Open();
        var county = await TinyCounty.SeedAsync(ctx);
        await UserAccounts.CreateAsync(ctx, "school", WebAppFactory.Password, Roles.School, county.EastPrimary.Id);
        return (db, county);
    }

    /// <summary>5,000 new pupils: more than the SQLite single pass checks before its writer starts, so rows are written inside the transaction.</summary>
    private static string BigRoster() => JobTestHelpers.Header + "\n" + string.Join("\n", Enumerable.Range(0, 5000)
        .Select(i => JobTestHelpers.Pupil($"R{i:00000}", new DateOnly(2017, 1, 1).AddDays(i / 500), (i % 500) * 2 + 1))) + "\n";

    private static async Task<(int Pupils, int Enrollments)> CountAsync(TestDatabase db)
    {
        await using var ctx = db.Open();
        return (await ctx.Students.CountAsync(), await ctx.Enrollments.CountAsync());
    }

    [Fact]
    public async Task Import_ServerStopsWhileRunning_AfterRestartJobInterruptedAndDataUnchanged()
    {
        var (db, _) = await SeedAsync();
        await using var __ = db;
        var before = await CountAsync(db);
        string url;
        var first = new JobHost(db.Options, testDelayMs: 120_000);
        try
        {
            var client = await first.LoginAsync("school", WebAppFactory.Password);
            url = await JobTestHelpers.SubmitAsync(client, BigRoster(), "大名单.csv");
            // The import has checked every row and paused at 写入, inside its transaction.
            await JobTestHelpers.WaitAsync(client, url, html => html.Contains("写入 5,000 行", StringComparison.Ordinal));
        }
        finally
        {
            await first.DisposeAsync(); // stops the host: the running import is cancelled
        }

        await using var second = new JobHost(db.Options);
        var again = await second.LoginAsync("school", WebAppFactory.Password);
        var html = await again.GetStringAsync(url);

        Assert.Contains("导入已中断", html);
        Assert.Contains(JobStore.StopMessage, html);
        Assert.Equal(before, await CountAsync(db));
        await using var ctx = db.Open();
        Assert.False(await ctx.Students.AnyAsync(s => s.StudentNo == "R00000"));
        Assert.Equal(JobState.Interrupted, (await ctx.Jobs.SingleAsync()).State);
    }

    [Fact]
    public async Task Start_JobLeftRunningByDeadProcess_ShownInterrupted()
    {
        var (db, c) = await SeedAsync();
        await using var __ = db;
        int id;
        await using (var ctx = db.Open())
        {
            var job = new Job
            {
                Kind = JobKinds.Import, Owner = "school", OrgUnitId = c.EastPrimary.Id, UnitPath = c.EastPrimary.Path, State = JobState.Running,
                Parameters = new ImportJobParameters("students", 2025, "upsert", "断电.csv", "gone/upload.csv").ToJson(),
                CreatedUtc = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), StartedUtc = new DateTime(2026, 12, 1, 0, 0, 1, DateTimeKind.Utc),
            };
            ctx.Jobs.Add(job);
            await ctx.SaveChangesAsync();
            id = job.Id;
        }

        await using var host = new JobHost(db.Options);
        var client = await host.LoginAsync("school", WebAppFactory.Password);
        var html = await client.GetStringAsync($"/Imports/Result?id={id}");

        Assert.Contains("导入已中断：断电.csv", html);
        Assert.Contains(JobStore.RestartMessage, html);
        Assert.DoesNotContain("http-equiv=\"refresh\"", html);
    }

    /// <summary>
    /// The owner cancels the running import (paused at 写入 inside its transaction): it rolls back and the job is 已取消.
    /// (A queued job cannot be made to wait here: on SQLite the paused import holds the write lock, so a second
    /// submit would wait for it; cancelling a queued job is tested on the job table in Core, JobStoreTests.)
    /// </summary>
    [Fact]
    public async Task Cancel_RunningImport_CancelledAndNothingWritten()
    {
        var (db, _) = await SeedAsync();
        await using var __ = db;
        var before = await CountAsync(db);
        await using var host = new JobHost(db.Options, testDelayMs: 120_000);
        var client = await host.LoginAsync("school", WebAppFactory.Password);
        var running = await JobTestHelpers.SubmitAsync(client, BigRoster(), "一.csv");
        var paused = await JobTestHelpers.WaitAsync(client, running, html => html.Contains("写入 5,000 行", StringComparison.Ordinal));
        Assert.Contains("取消导入", paused);

        await CancelAsync(client, running);

        var html = await JobTestHelpers.WaitAsync(client, running, JobTestHelpers.Finished);
        Assert.Contains("导入已取消：一.csv", html);
        Assert.Contains(JobStore.CancelMessage, html);
        Assert.Equal(before, await CountAsync(db));
    }

    private static async Task CancelAsync(HttpClient client, string url)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, url);
        var post = await client.PostAsync("/Imports/Result?handler=Cancel", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = JobTestHelpers.IdOf(url).ToString(System.Globalization.CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
    }
}
