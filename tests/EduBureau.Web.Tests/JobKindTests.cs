using System.Net;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Core.Jobs;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Core.Tests.Years;
using EduBureau.Core.Years;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduBureau.Web.Tests;

/// <summary>
/// The app on a given database of either provider (several in turn on one database make a restart), with its job
/// files in a folder of the test's own; <c>Jobs:TestDelayMs</c> pauses a job once at 写入, inside its transaction.
/// </summary>
public sealed class AnyDatabaseHost(DatabaseOptions db, string jobFolder, int testDelayMs = 0) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        TestHost.UseDatabase(builder, db);
        builder.UseSetting("Database:Provider", db.Provider.ToString());
        builder.UseSetting("Jobs:UploadDirectory", jobFolder);
        if (testDelayMs > 0) builder.UseSetting("Jobs:TestDelayMs", testDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>开启学年 as a job, on SQLite and PostgreSQL: done with the preview's counts; a restart mid-write leaves nothing.</summary>
public class OpenYearJobTests
{
    private const string Preview = "开启2025学年：升级 6 人，毕业 5 人，新建班级 5 个，教职工 5 人";

    private static async Task<TestDatabase> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await YearCounty.SeedAsync(ctx);
        await UserAccounts.CreateAsync(ctx, "admin", YearsAppFactory.Password, Roles.BureauAdmin, c.County.Id);
        return db;
    }

    private static string Folder() => Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Confirms the preview on /Years and returns the job's result page (after checking the preview's totals).</summary>
    private static async Task<string> SubmitAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/Years");
        Assert.Contains(Preview, page);
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var post = await client.PostAsync("/Years", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["year"] = "2025", ["Confirm"] = "true", ["GraduationDate"] = "2025-07-01", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var url = post.Headers.Location!.OriginalString;
        Assert.StartsWith("/Jobs/Result?id=", url, StringComparison.Ordinal);
        return url;
    }

    private static async Task<(int Classes, int Enrollments, int YearRows, int Audits)> Year2025Async(TestDatabase db)
    {
        await using var ctx = db.Open();
        return (await ctx.Classes.CountAsync(c => c.Year == 2025), await ctx.Enrollments.CountAsync(e => e.Year == 2025),
            await ctx.SchoolYears.CountAsync(y => y.Year == 2025), await ctx.AuditLog.CountAsync(a => a.Action == "开启学年"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpenYear_Confirmed_JobDoneWithPreviewCounts(string provider)
    {
        await using var db = await SeedAsync(provider);
        await using var host = new AnyDatabaseHost(db.Options, Folder());
        var client = await host.LoginAsync("admin", YearsAppFactory.Password);

        var url = await SubmitAsync(client);
        var html = await JobTestHelpers.WaitAsync(client, url, JobTestHelpers.Finished);

        Assert.Contains("开启学年：2025–2026学年", html);
        Assert.Contains("<p id=\"state\" class=\"success-box\">完成</p>", html);
        // The same totals as the preview: 6 promoted pupils, 5 graduates, 5 new classes, 5 staff carried over.
        Assert.Contains(Preview, html);
        Assert.Contains("升级 6 人，毕业 5 人，新建班级 5 个，教职工 5 人", html);
        Assert.Contains("href=\"/Years?opened=2025\"", html);
        Assert.Equal((5, 6, 1, 1), await Year2025Async(db));
        await using var ctx = db.Open();
        var job = await ctx.Jobs.SingleAsync();
        Assert.Equal((OpenYearJob.KindName, "admin", JobState.Done), (job.Kind, job.Owner, job.State));
        Assert.Equal(5, await ctx.StatusEvents.CountAsync(e => e.Date == new DateOnly(2025, 7, 1)));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpenYear_ServerStopsWhileWriting_AfterRestartInterruptedAndNothingWritten(string provider)
    {
        await using var db = await SeedAsync(provider);
        var folder = Folder();
        string url;
        var first = new AnyDatabaseHost(db.Options, folder, testDelayMs: 120_000);
        try
        {
            var client = await first.LoginAsync("admin", YearsAppFactory.Password);
            url = await SubmitAsync(client);
            // The classes are inserted inside the transaction; the job pauses at 写入.
            await JobTestHelpers.WaitAsync(client, url, html => html.Contains("<p id=\"progress\">写入</p>", StringComparison.Ordinal));
        }
        finally
        {
            await first.DisposeAsync(); // stops the host: the running job is cancelled, its transaction rolled back
        }

        await using var second = new AnyDatabaseHost(db.Options, folder);
        var again = await second.LoginAsync("admin", YearsAppFactory.Password);
        var result = await again.GetStringAsync(url);
        var years = await again.GetStringAsync("/Years");

        Assert.Contains(JobState.Interrupted, result);
        Assert.Contains(JobStore.StopMessage, result);
        Assert.Equal((0, 0, 0, 0), await Year2025Async(db));
        Assert.Contains(Preview, years); // still to be opened
        Assert.DoesNotContain("id=\"open-pending\"", years);
    }

    [Fact]
    public async Task OpenYear_OwnerCancelsOnJobsPageWhileWriting_CancelledAndNothingWritten()
    {
        await using var db = await SeedAsync("Sqlite");
        await using var host = new AnyDatabaseHost(db.Options, Folder(), testDelayMs: 120_000);
        var client = await host.LoginAsync("admin", YearsAppFactory.Password);
        var url = await SubmitAsync(client);
        await JobTestHelpers.WaitAsync(client, url, html => html.Contains("<p id=\"progress\">写入</p>", StringComparison.Ordinal));
        var list = await client.GetStringAsync("/Jobs");
        Assert.Contains("开启学年", list);
        var token = Regex.Match(list, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var post = await client.PostAsync("/Jobs?handler=Cancel", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = JobTestHelpers.IdOf(url).ToString(System.Globalization.CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = token,
        }));
        var html = await JobTestHelpers.WaitAsync(client, url, JobTestHelpers.Finished);

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains(JobState.Cancelled, html);
        Assert.Contains(JobStore.CancelMessage, html);
        Assert.Equal((0, 0, 0, 0), await Year2025Async(db));
    }
}

/// <summary>Kinds on the shared test app: the exam Word report, an unknown kind, and /Jobs listing the user's own jobs.</summary>
public class JobKindPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private Task<int> ExamAsync() => ExamPagesTests.ExamFor(app);

    /// <summary>The overview's 下载 Word 报告 button.</summary>
    private static async Task<HttpResponseMessage> PostDocxAsync(HttpClient client, int exam)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, $"/Exams/Overview?id={exam}");
        return await client.PostAsync($"/Exams/Download?id={exam}&handler=Docx", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));
    }

    private async Task<int> InsertAsync(string kind, string owner, (int Id, string Path) unit, string parameters, string state)
    {
        await using var ctx = Database.OpenSystem(app.Database, "test");
        var job = new Job
        {
            Kind = kind, Owner = owner, OrgUnitId = unit.Id, UnitPath = unit.Path, Parameters = parameters, State = state,
            CreatedUtc = DateTime.UtcNow,
        };
        ctx.Jobs.Add(job);
        await ctx.SaveChangesAsync();
        return job.Id;
    }

    [Fact]
    public async Task ExamReport_Queued_DocxDownloadableByOwnerOnly()
    {
        var id = await ExamAsync();
        var admin = await app.LoginAsync("admin");

        var post = await PostDocxAsync(admin, id);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var url = post.Headers.Location!.OriginalString;
        var html = await JobTestHelpers.WaitAsync(admin, url, JobTestHelpers.Finished);
        var download = await admin.GetAsync(url + "&handler=File");

        Assert.Contains("考试分析报告：六年级期末", html);
        Assert.Contains("六年级期末 质量分析报告已生成", html);
        Assert.Contains("下载 六年级期末_质量分析.docx", html);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("六年级期末_质量分析.docx", download.Content.Headers.ContentDisposition?.FileNameStar);
        using (var doc = WordprocessingDocument.Open(new MemoryStream(await download.Content.ReadAsByteArrayAsync()), false))
        {
            var text = doc.MainDocumentPart!.Document!.Body!.InnerText;
            Assert.Contains("六年级期末", text);
            Assert.Contains("西乡小学", text);
        }
        // 科室 sees the county's jobs but not another user's file; a school does not see the county's job at all.
        var keshi = await app.LoginAsync("keshi");
        var keshiHtml = await keshi.GetStringAsync(url);
        Assert.DoesNotContain("handler=File", keshiHtml);
        Assert.Equal(HttpStatusCode.Forbidden, (await keshi.GetAsync(url + "&handler=File")).StatusCode);
        var school = await app.LoginAsync("school");
        Assert.Equal(HttpStatusCode.NotFound, (await school.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await school.GetAsync(url + "&handler=File")).StatusCode);
    }

    [Fact]
    public async Task ExamReport_SchoolUser_Forbidden()
    {
        var id = await ExamAsync();
        var school = await app.LoginAsync("school");

        var post = await PostDocxAsync(school, id);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    [Fact]
    public async Task Run_UnknownKind_FailsWithChineseMessage()
    {
        var id = await InsertAsync("no-such-kind", "admin", (app.County.County.Id, app.County.County.Path), "{}", JobState.Queued);
        app.Services.GetRequiredService<JobRunner>().Wake();
        var admin = await app.LoginAsync("admin");

        var html = await JobTestHelpers.WaitAsync(admin, $"/Jobs/Result?id={id}", JobTestHelpers.Finished);

        Assert.Contains(JobStore.UnknownMessage("no-such-kind"), html);
        Assert.Contains("无法识别的任务（类型“no-such-kind”）", html);
        await using var ctx = Database.OpenSystem(app.Database, "test");
        Assert.Equal(JobState.Failed, (await ctx.Jobs.SingleAsync(j => j.Id == id)).State);
    }

    [Fact]
    public async Task JobsPage_SchoolUser_ListsOnlyOwnJobs()
    {
        var mine = await InsertAsync(JobKinds.Import, "school", (app.County.EastPrimary.Id, app.County.EastPrimary.Path),
            new ImportJobParameters("students", 2025, "upsert", "我的名单.csv", "x/upload.csv").ToJson(), JobState.Done);
        var theirs = await InsertAsync(JobKinds.Import, "east", (app.County.EastPrimary.Id, app.County.EastPrimary.Path),
            new ImportJobParameters("students", 2025, "upsert", "别人的名单.csv", "y/upload.csv").ToJson(), JobState.Done);
        var school = await app.LoginAsync("school");
        var admin = await app.LoginAsync("admin");

        var html = await school.GetStringAsync("/Jobs");
        var adminOwn = await admin.GetStringAsync("/Jobs");
        var adminAll = await admin.GetStringAsync("/Jobs?all=true");
        var schoolAll = await school.GetStringAsync("/Jobs?all=true");

        Assert.Contains($"data-job=\"{mine}\"", html);
        Assert.Contains("学生 2025学年 · 我的名单.csv", html);
        Assert.Contains($"href=\"/Imports/Result?id={mine}\"", html);
        Assert.DoesNotContain($"data-job=\"{theirs}\"", html);
        Assert.DoesNotContain("别人的名单.csv", html);
        Assert.DoesNotContain("别人的名单.csv", schoolAll); // ?all is the bureau admin's alone
        Assert.DoesNotContain("我的名单.csv", adminOwn);
        Assert.Contains("我的名单.csv", adminAll);
        Assert.Contains("别人的名单.csv", adminAll);
        Assert.Contains("href=\"/Jobs\"", html); // in the navigation
    }
}
