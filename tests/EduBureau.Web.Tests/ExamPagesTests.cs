using System.Collections.Concurrent;
using System.Net;
using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Web.Tests;

/// <summary>
/// /Exams over TinyCounty with one exam: 东镇小学 P1 (90 / 80) and P2 (60 / 缺考), 西乡小学 W1 (70 / 50),
/// 东镇中学 J1 (30 / 20). The "school" login belongs to 东镇小学.
/// </summary>
public class ExamPagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly ConcurrentDictionary<WebAppFactory, Lazy<Task<int>>> Seeded = new();

    private Task<int> ExamAsync() => ExamFor(app);

    /// <summary>The exam, seeded once per factory (other test classes on their own factory use it too).</summary>
    internal static Task<int> ExamFor(WebAppFactory app) => Seeded.GetOrAdd(app, a => new Lazy<Task<int>>(() => SeedAsync(a))).Value;

    private static async Task<int> SeedAsync(WebAppFactory app)
    {
        var t = app.County;
        await using var db = Core.Data.Database.OpenSystem(app.Database, "test");
        TinyCounty.AddPupil(db, "P1", "小明", t.EastPrimary, Grade.G6, t.County.Id);
        TinyCounty.AddPupil(db, "P2", "小红", t.EastPrimary, Grade.G6, t.County.Id);
        TinyCounty.AddPupil(db, "W1", "西乡娃", t.WestPrimary, Grade.G6, t.County.Id);
        TinyCounty.AddPupil(db, "J1", "中学生", t.EastJunior, Grade.G6, t.County.Id);
        await db.SaveChangesAsync();
        var exam = (await ExamStore.CreateAsync(db, "六年级期末", new DateOnly(2026, 1, 15), TinyCounty.Year, Grade.G6,
            [new ExamSubject { Name = "语文", FullMarks = 100 }, new ExamSubject { Name = "数学", FullMarks = 100, Order = 1 }])).ValueOrThrow();
        var file = Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N"), "成绩.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "学籍号,姓名,学校标识码,班级,语文,数学\nP1,小明,4500000001,1班,90,80\nP2,小红,4500000001,1班,60,缺考\n" +
            "W1,西乡娃,4500000003,1班,70,50\nJ1,中学生,4500000002,1班,30,20\n", new UTF8Encoding(false));
        var r = await ImportScores.RunAsync(db, exam.Id, file);
        if (!r.Succeeded) throw new InvalidOperationException(string.Join("\n", r.Issues));
        return exam.Id;
    }

    [Fact]
    public async Task Overview_Admin_ShowsEverySchoolAndCountyFigures()
    {
        var id = await ExamAsync();
        var client = await app.LoginAsync("admin");

        var html = await client.GetStringAsync($"/Exams/Overview?id={id}");

        Assert.Contains("西乡小学", html);
        Assert.Contains("东镇中学", html);
        Assert.Contains("东镇小学", html);
        // 语文 county mean (90 + 60 + 70 + 30) / 4 = 62.5.
        Assert.Contains(">62.5<", html);
        Assert.Contains("<svg", html);
        Assert.Contains("下载 Word 报告", html);
    }

    [Fact]
    public async Task Overview_SchoolUser_SeesOwnSchoolAndAnonymisedOthersOnly()
    {
        var id = await ExamAsync();
        var client = await app.LoginAsync("school");

        var html = await client.GetStringAsync($"/Exams/Overview?id={id}");

        Assert.Contains("东镇小学", html);
        Assert.DoesNotContain("西乡小学", html);
        Assert.DoesNotContain("东镇中学", html);
        Assert.Contains("其他学校 1", html);
        Assert.Contains("其他学校 2", html);
        Assert.Contains(">62.5<", html); // county figures are there, as aggregates
        Assert.DoesNotContain("下载 Word 报告", html);
    }

    [Fact]
    public async Task SchoolUser_OtherSchoolPagesAndReports_AreForbidden()
    {
        var id = await ExamAsync();
        var client = await app.LoginAsync("school");

        var other = await client.GetAsync($"/Exams/School?id={id}&school={app.County.WestPrimary.Id}");
        var download = await client.GetAsync($"/Exams/Download?id={id}&kind=xlsx");
        var own = await client.GetStringAsync($"/Exams/School?id={id}&school={app.County.EastPrimary.Id}");
        var critical = await client.GetStringAsync($"/Exams/Critical?id={id}&line=100&within=200");

        Assert.NotEqual(HttpStatusCode.OK, other.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, download.StatusCode);
        Assert.Contains("1班", own);
        Assert.Contains("小明", critical);
        Assert.DoesNotContain("西乡娃", critical);
        Assert.DoesNotContain("中学生", critical);
    }

    [Fact]
    public async Task ClassPage_Admin_ShowsAbsentAsFlagNotZero()
    {
        var id = await ExamAsync();
        var client = await app.LoginAsync("admin");

        var html = await client.GetStringAsync($"/Exams/Class?id={id}&school={app.County.EastPrimary.Id}&class={Uri.EscapeDataString("1班")}");

        Assert.Contains("小红", html);
        Assert.Contains("缺考", html);
    }

    [Fact]
    public async Task Download_Admin_ReturnsWorkbook()
    {
        var id = await ExamAsync();
        var client = await app.LoginAsync("admin");

        var response = await client.GetAsync($"/Exams/Download?id={id}&kind=xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((byte)'P', bytes[0]); // a zip container
        var path = Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N") + ".xlsx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
        Assert.Contains("学校", MiniExcelLibs.MiniExcel.GetSheetNames(path));
    }

    [Fact]
    public async Task Upload_BadFile_ListsErrorsWithRowAndColumn()
    {
        var id = await ExamAsync();
        var client = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, $"/Exams/Upload?id={id}");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("学籍号,姓名,学校标识码,班级,语文,数学\nNOPE,谁,4500000001,1班,50,50\n")), "file", "坏文件.csv");

        var response = await client.PostAsync($"/Exams/Upload?id={id}", form);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("未导入任何成绩", html);
        Assert.Contains("坏文件.csv", html);
        Assert.Contains(ImportScores.NotInScopeMessage, html); // issue #14: the same words as for another school's pupil
    }

    [Fact]
    public async Task Overview_SortByMeanAscending_OrdersTheSchoolRanking()
    {
        var id = await ExamAsync();
        var client = await app.LoginAsync("admin");

        var html = await client.GetStringAsync($"/Exams/Overview?id={id}&subject=0&sort=mean&desc=false");

        // 语文 school means: 东镇中学 30, 西乡小学 70, 东镇小学 (90 + 60) / 2 = 75.
        var table = html[html.IndexOf("id=\"schools\"", StringComparison.Ordinal)..];
        var order = new[] { "东镇中学", "西乡小学", "东镇小学" }.Select(n => table.IndexOf(n, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i > 0));
        Assert.Equal(order.Order(), order);
        Assert.Contains("平均分 ▲", table);
    }

    [Fact]
    public async Task Critical_ByRank_ListsPupilsAroundTheCountyRank()
    {
        var id = await ExamAsync();
        var client = await app.LoginAsync("admin");

        var html = await client.GetStringAsync($"/Exams/Critical?id={id}&rank=2&withinRanks=1");

        // 总分 ranks: 小明 170 (1), 西乡娃 120 (2), 小红 60 (3), 中学生 50 (4) → rank 2 ± 1 = the first three.
        Assert.Contains("小明", html);
        Assert.Contains("西乡娃", html);
        Assert.Contains("小红", html);
        Assert.DoesNotContain("中学生", html);
        Assert.Contains("全县第 2 名上下 1 名以内", html);
    }
}
