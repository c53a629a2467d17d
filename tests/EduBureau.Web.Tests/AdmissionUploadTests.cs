using EduBureau.Demo.Admission;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EduBureau.Core.Admission;
using EduBureau.Core.Common;
using EduBureau.Core.Exams;
using EduBureau.Core.Tests.Infrastructure;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>
/// /Admission without the command line: templates, two separate files (考生 + 高中计划), building applicants from a
/// 九年级 exam plus a 志愿 file, Chinese errors naming file/sheet/row/column with nothing stored, admin only.
/// 测试县 (TinyCounty): 东镇中学 4500000002 is a junior school; codes H1/H2 are the high schools of the plan files.
/// </summary>
public sealed class AdmissionUploadTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static Dictionary<string, object?> R(params (string, object?)[] cells) => cells.ToDictionary(c => c.Item1, c => c.Item2);

    private static byte[] Sheet(string name, params Dictionary<string, object?>[] rows)
    {
        var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object> { [name] = rows });
        return ms.ToArray();
    }

    /// <summary>The header row of the first sheet of a workbook.</summary>
    private static List<string> Headers(byte[] xlsx) =>
        new MemoryStream(xlsx).Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().First().Values.Select(v => v?.ToString() ?? "").ToList();

    private static ByteArrayContent Xlsx(byte[] bytes)
    {
        var c = new ByteArrayContent(bytes);
        c.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return c;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string tokenPage, params (string Field, string FileName, byte[] Bytes)[] files) =>
        await PostAsync(client, url, tokenPage, new Dictionary<string, string>(), files);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string tokenPage, Dictionary<string, string> fields,
        params (string Field, string FileName, byte[] Bytes)[] files)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, tokenPage);
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        foreach (var (field, name, bytes) in files) form.Add(Xlsx(bytes), field, name);
        return await client.PostAsync(url, form);
    }

    private static int DatasetCount(string html) => Regex.Matches(html, "/Admission/Run\\?id=").Count;

    private static byte[] Plans(string[] headers, params (string Code, string Name, int Places)[] schools) =>
        Sheet("高中计划", [.. schools.Select(s => R((headers[0], s.Code), (headers[1], s.Name), (headers[2], s.Places), (headers[3], 0)))]);

    [Fact]
    public async Task Template_Download_IsXlsxWithExchangeHeaders()
    {
        var admin = await app.LoginAsync("admin");

        var plans = await admin.GetAsync("/Admission?handler=Template&kind=plans");
        var applicants = await admin.GetAsync("/Admission?handler=Template&kind=applicants");
        var prefs = await admin.GetAsync("/Admission?handler=Template&kind=preferences");
        var applicantBytes = await applicants.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, plans.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", applicants.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["学校标识码", "学校名称", "统招计划", "指标生计划", "参考分数线"], Headers(await plans.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["考号", "姓名", "毕业学校标识码", "总分", "语文", "数学", "英语", "志愿1", "志愿2", "志愿3", "志愿4", "志愿5", "志愿6", "指标生志愿", "出生日期"],
            Headers(applicantBytes));
        Assert.Equal(["考生", "填写说明", "学校代码"], MiniExcel.GetSheetNames(new MemoryStream(applicantBytes)));
        // The 学校代码 sheet lists the county's junior schools: 东镇中学 (初中), not the primary schools.
        var codes = new MemoryStream(applicantBytes).Query(useHeaderRow: true, sheetName: "学校代码").Cast<IDictionary<string, object?>>()
            .Select(r => $"{r["学校标识码"]} {r["学校名称"]}").ToList();
        Assert.Equal(["4500000002 东镇中学"], codes);
        Assert.Equal(["学籍号", "考号", "姓名", "毕业学校标识码", "志愿1", "志愿2", "志愿3", "志愿4", "志愿5", "志愿6", "指标生志愿"],
            Headers(await prefs.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>
    /// 县一中 H1 has 2 统招 places, 县二中 H2 has 1, both without 指标生; four pupils of 东镇中学 (600, 590, 580, 570) all list
    /// H1 then H2: 600 and 590 go to H1, 580 to H2, 570 is not admitted — 3 admitted in 统招, 1 未录取.
    /// </summary>
    [Fact]
    public async Task Upload_TwoSeparateTemplateFiles_CreatesDatasetAndRunShowsAdmittedCounts()
    {
        var admin = await app.LoginAsync("admin");
        var ph = Headers(await admin.GetByteArrayAsync("/Admission?handler=Template&kind=plans")).ToArray();
        var ah = Headers(await admin.GetByteArrayAsync("/Admission?handler=Template&kind=applicants")).ToArray();
        var plans = Plans(ph, ("H1", "县一中", 2), ("H2", "县二中", 1));
        Dictionary<string, object?> Pupil(string no, int total) =>
            R((ah[0], no), (ah[1], "学生" + no), (ah[2], "4500000002"), (ah[3], total), (ah[7], "H1"), (ah[8], "H2"));
        var applicants = Sheet("考生", Pupil("T01", 600), Pupil("T02", 590), Pupil("T03", 580), Pupil("T04", 570));

        var r = await PostAsync(admin, "/Admission", "/Admission", new Dictionary<string, string> { ["Name"] = "分文件上传" },
            ("Applicants", "考生.xlsx", applicants), ("Plans", "高中计划.xlsx", plans));

        Assert.True(r.StatusCode == HttpStatusCode.Redirect, await r.Content.ReadAsStringAsync());
        var run = await admin.GetStringAsync(r.Headers.Location!.OriginalString);
        Assert.Contains("分文件上传", run);
        Assert.Matches("<div>统招</div><div class=\"value\">3</div>", run);
        Assert.Matches("<div>未录取</div><div class=\"value\">1</div>", run);
        var index = await admin.GetStringAsync("/Admission");
        Assert.Contains("<td>分文件上传</td>", index);
    }

    [Fact]
    public async Task Upload_BadApplicantsFile_ChineseErrorNamingFileRowColumnAndNothingStored()
    {
        var admin = await app.LoginAsync("admin");
        var before = DatasetCount(await admin.GetStringAsync("/Admission"));
        var plans = Sheet("高中计划", R(("学校标识码", "H1"), ("学校名称", "县一中"), ("统招计划", 2)));
        var unknownSchool = Sheet("考生",
            R(("考号", "U01"), ("姓名", "甲"), ("毕业学校标识码", "4500000002"), ("总分", 600), ("志愿1", "H1")),
            R(("考号", "U02"), ("姓名", "乙"), ("毕业学校标识码", "9999999999"), ("总分", 590), ("志愿1", "H9")));
        var noTotal = Sheet("考生", R(("考号", "U03"), ("姓名", "丙"), ("毕业学校标识码", "4500000002"), ("志愿1", "H1")));

        var a = await PostAsync(admin, "/Admission", "/Admission", ("Applicants", "坏考生.xlsx", unknownSchool), ("Plans", "计划.xlsx", plans));
        var b = await PostAsync(admin, "/Admission", "/Admission", ("Applicants", "缺列.xlsx", noTotal), ("Plans", "计划.xlsx", plans));
        var htmlA = WebUtility.HtmlDecode(await a.Content.ReadAsStringAsync());
        var htmlB = WebUtility.HtmlDecode(await b.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Contains("数据有误，未保存", htmlA);
        Assert.Contains("坏考生.xlsx 工作表“考生” 第3行 C列（毕业学校标识码）：毕业学校标识码 9999999999 不是测试县的学校", htmlA);
        Assert.Contains("坏考生.xlsx 工作表“考生” 第3行 E列（志愿1）：志愿1 学校标识码 H9 不在高中计划中（计划.xlsx 工作表“高中计划”）", htmlA);
        Assert.Contains("缺列.xlsx 工作表“考生”：缺少必填列“总分”", htmlB);
        Assert.Equal(before, DatasetCount(await admin.GetStringAsync("/Admission")));
    }

    /// <summary>
    /// 九年级 exam of 东镇中学 (2025): 赵一 100+110+90 = 300, 赵二 80+70+60 = 210, 赵三 缺考 in all (no applicant). The 志愿
    /// file names 赵一 and 赵二 by 学籍号; H1 has one place: 赵一 is admitted. 考号 = 25 + exam id (4 digits) + 00001/00002;
    /// the stored input has neither 学籍号 nor 身份证件号.
    /// </summary>
    [Fact]
    public async Task BuildFromExam_WithPreferencesFile_DatasetHasTheExamPupils()
    {
        int examId;
        await using (var db = Core.Data.Database.OpenSystem(app.Database, "test"))
        {
            var junior = await db.Schools.FindAsync(app.County.EastJunior.Id);
            var p1 = TinyCounty.AddPupil(db, "Z0000001", "赵一", junior!, Grade.G9, app.County.County.Id);
            var p2 = TinyCounty.AddPupil(db, "Z0000002", "赵二", junior!, Grade.G9, app.County.County.Id);
            var p3 = TinyCounty.AddPupil(db, "Z0000003", "赵三", junior!, Grade.G9, app.County.County.Id);
            p1.IdNumber = "450102200901010017";
            await db.SaveChangesAsync();
            var exam = (await ExamStore.CreateAsync(db, "2026年中考", new DateOnly(2026, 6, 20), 2025, Grade.G9, ExamStore.ParseSubjects("语文:120,数学:120,英语:120").ValueOrThrow())).ValueOrThrow();
            examId = exam.Id;
            var s = exam.Subjects.OrderBy(x => x.Order).ToList();
            void Add(long student, int subject, double? v, ScoreFlag flag = ScoreFlag.Normal) =>
                db.Set<Score>().Add(new Score { ExamId = exam.Id, SubjectId = s[subject].Id, StudentId = student, SchoolId = junior!.Id, ClassName = "1班", Value = v, Flag = flag });
            Add(p1.Id, 0, 100); Add(p1.Id, 1, 110); Add(p1.Id, 2, 90);
            Add(p2.Id, 0, 80); Add(p2.Id, 1, 70); Add(p2.Id, 2, 60);
            for (var k = 0; k < 3; k++) Add(p3.Id, k, null, ScoreFlag.Absent);
            await db.SaveChangesAsync();
        }
        var admin = await app.LoginAsync("admin");
        var page = await admin.GetStringAsync("/Admission");
        Assert.Contains($"<option value=\"{examId}\"", page);
        var plans = Sheet("高中计划", R(("学校标识码", "H1"), ("学校名称", "县一中"), ("统招计划", 1), ("指标生计划", 0)));
        var prefs = Sheet("志愿", R(("学籍号", "Z0000001"), ("志愿1", "H1")), R(("学籍号", "Z0000002"), ("志愿1", "H1")));
        var badPrefs = Sheet("志愿", R(("学籍号", "Z0000009"), ("志愿1", "H1")));

        var bad = await PostAsync(admin, "/Admission?handler=Exam", "/Admission", new Dictionary<string, string> { ["ExamId"] = $"{examId}" },
            ("Preferences", "志愿.xlsx", badPrefs), ("Plans", "计划.xlsx", plans));
        var r = await PostAsync(admin, "/Admission?handler=Exam", "/Admission", new Dictionary<string, string> { ["ExamId"] = $"{examId}" },
            ("Preferences", "志愿.xlsx", prefs), ("Plans", "计划.xlsx", plans));

        Assert.Contains("志愿.xlsx 工作表“志愿” 第2行 A列（学籍号）：学籍号 Z0000009 不是本次考试的考生", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        Assert.True(r.StatusCode == HttpStatusCode.Redirect, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        var runUrl = r.Headers.Location!.OriginalString;
        var id = Regex.Match(runUrl, "id=([0-9a-f-]+)").Groups[1].Value;
        var run = await admin.GetStringAsync(runUrl);
        Assert.Contains("2026年中考", run);
        Assert.Matches("<div>统招</div><div class=\"value\">1</div>", run);
        Assert.Matches("<div>未录取</div><div class=\"value\">1</div>", run);
        // The dataset's files are rows of the database now (input.xlsx plus the files as received).
        List<Core.Admission.AdmissionDatasetFile> files;
        await using (var db = Core.Data.Database.OpenSystem(app.Database, "test"))
            files = await db.Set<Core.Admission.AdmissionDatasetFile>().Where(f => f.DatasetId == id).ToListAsync();
        var input = files.Single(f => f.Name == "input.xlsx").Bytes;
        var rows = new MemoryStream(input).Query(useHeaderRow: true, sheetName: "考生").Cast<IDictionary<string, object?>>()
            .Select(x => $"{x["考号"]} {x["姓名"]} {x["毕业学校标识码"]} {x["总分"]} {x["志愿1"]}").ToList();
        Assert.Equal([$"25{examId:D4}00001 赵一 4500000002 300 H1", $"25{examId:D4}00002 赵二 4500000002 210 H1"], rows);
        Assert.Equal(["input.xlsx", "plans.xlsx"], files.Select(f => f.Name).Order());
        var stored = string.Join("\n", files
            .SelectMany(f => new MemoryStream(f.Bytes).GetSheetNames().SelectMany(sh => new MemoryStream(f.Bytes).Query(sheetName: sh).Cast<IDictionary<string, object?>>().SelectMany(x => x.Values)))
            .Select(v => v?.ToString()));
        Assert.DoesNotContain("Z0000001", stored);
        Assert.DoesNotContain("450102200901010017", stored);
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("duxue")]
    public async Task Upload_NonAdminRoles_Forbidden(string user)
    {
        var client = await app.LoginAsync(user);
        var plans = Sheet("高中计划", R(("学校标识码", "H1"), ("学校名称", "县一中"), ("统招计划", 2)));
        var apps = Sheet("考生", R(("考号", "N01"), ("姓名", "甲"), ("毕业学校标识码", "4500000002"), ("总分", 600), ("志愿1", "H1")));

        var upload = await PostAsync(client, "/Admission", "/Admission", ("Applicants", "a.xlsx", apps), ("Plans", "p.xlsx", plans));
        var exam = await PostAsync(client, "/Admission?handler=Exam", "/Admission", new Dictionary<string, string> { ["ExamId"] = "1" },
            ("Preferences", "z.xlsx", apps), ("Plans", "p.xlsx", plans));

        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, exam.StatusCode);
    }

    [Fact]
    public async Task Upload_SchoolRole_Forbidden()
    {
        var client = await app.LoginAsync("school");
        var plans = Sheet("高中计划", R(("学校标识码", "H1"), ("学校名称", "县一中"), ("统招计划", 2)));

        var upload = await PostAsync(client, "/Admission", "/", ("Applicants", "a.xlsx", plans), ("Plans", "p.xlsx", plans));

        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
    }
}

/// <summary>What `edu admission sample --db` writes for the demo county (the same <see cref="CountySample"/>), uploaded through the web.</summary>
public sealed class AdmissionSampleUploadTests(GoLiveDemoFixture fx) : IClassFixture<GoLiveDemoFixture>
{
    [Fact]
    public async Task Upload_CliSampleOfDemoCounty_AcceptedAndRuns()
    {
        var ms = new MemoryStream();
        int applicants;
        await using (var db = fx.Open())
        {
            var input = await CountySample.BuildAsync(db, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.MaxAsync(db.SchoolYears, y => y.Year));
            applicants = input.Applicants.Count;
            AdmissionWorkbook.WriteInput(input, ms);
        }
        var admin = await fx.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Admission");
        var content = new ByteArrayContent(ms.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { content, "Upload", "样例.xlsx" } };

        var r = await admin.PostAsync("/Admission", form);

        Assert.True(r.StatusCode == HttpStatusCode.Redirect, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        var run = await admin.GetStringAsync(r.Headers.Location!.OriginalString);
        Assert.Contains("<div>统招</div>", run);
        Assert.Contains($"<td class=\"num\">{applicants}</td>", await admin.GetStringAsync("/Admission"));
    }
}
