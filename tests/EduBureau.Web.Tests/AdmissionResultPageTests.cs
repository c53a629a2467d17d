using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Tests.Infrastructure;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>
/// Run, results, explanations, exports, quota table and what-if pages over one hand-checked cohort.
/// Plans: H1 县一中 统招计划 5 (指标生 by share), H2 县二中 统招计划 3 (指标生计划 0). Juniors J1 (东镇, 30 graduates),
/// J2 (西镇, 20). At share 0.4: H1 has 2 指标生 places → J1 1.2, J2 0.8 → largest remainder gives J1 1, J2 1; 统招 H1 3.
/// Rank order A1 700 … A9 610 (no ties). 统招: A1 A2 A3 fill H1 (分数线 680); A4 [H1] finds it full; A5 [H1,H2] and
/// A6, A7 fill H2 (分数线 630); A8 [H2,H1] and A9 [H1] find both full. 指标生 (line 680 − 20 = 660): J2's place goes to
/// A4 (665); J1's place: A8 (620) is below 660, so it is unfilled and returns to 统招 (配转统), where A8 takes it
/// (H2 full, H1 open); A9 (J2) finds it full and is not admitted.
/// </summary>
public sealed class AdmissionResultPageTests : IClassFixture<WebAppFactory>
{
    private readonly WebAppFactory _app;

    public AdmissionResultPageTests(WebAppFactory app) => _app = app;

    private static Dictionary<string, object?> R(params (string, object?)[] cells) => cells.ToDictionary(c => c.Item1, c => c.Item2);

    private static Dictionary<string, object?> A(string exam, string junior, int total, string p1, string? p2 = null, string? zb = null) =>
        R(("考号", exam), ("姓名", "生" + exam), ("毕业学校标识码", junior), ("总分", total), ("志愿1", p1), ("志愿2", p2), ("指标生志愿", zb));

    private static byte[] Cohort()
    {
        var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object>
        {
            ["高中计划"] = new[]
            {
                R(("学校标识码", "H1"), ("学校名称", "县一中"), ("统招计划", 5), ("指标生计划", null)),
                R(("学校标识码", "H2"), ("学校名称", "县二中"), ("统招计划", 3), ("指标生计划", 0)),
            },
            ["初中学校"] = new[]
            {
                R(("学校标识码", "J1"), ("学校名称", "东镇中学"), ("所属乡镇", "东镇"), ("九年级毕业生数", 30)),
                R(("学校标识码", "J2"), ("学校名称", "西镇中学"), ("所属乡镇", "西镇"), ("九年级毕业生数", 20)),
            },
            ["考生"] = new[]
            {
                A("A1", "J1", 700, "H1"), A("A2", "J2", 690, "H1"), A("A3", "J1", 680, "H1"),
                A("A4", "J2", 665, "H1", zb: "H1"), A("A5", "J1", 650, "H1", "H2", "H1"), A("A6", "J1", 640, "H2"),
                A("A7", "J2", 630, "H2"), A("A8", "J1", 620, "H2", "H1", "H1"), A("A9", "J2", 610, "H1"),
            },
        });
        return ms.ToArray();
    }

    private async Task<(HttpClient Admin, string Id)> UploadAsync()
    {
        var admin = await _app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Admission");
        var content = new ByteArrayContent(Cohort());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("手算样例"), "Name" },
            { content, "Upload", "cohort.xlsx" },
        };
        var r = await admin.PostAsync("/Admission", form);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        return (admin, Regex.Match(r.Headers.Location!.OriginalString, "id=([0-9a-f-]+)").Groups[1].Value);
    }

    private static string Cutoff(string batch, string code, string name, string score, int admitted, int places) =>
        $"<tr><td>{batch}</td><td>{code}</td><td>{name}</td><td class=\"num\">{score}</td><td class=\"num\">{admitted}</td><td class=\"num\">{places}</td>";

    private static List<IDictionary<string, object?>> Sheet(byte[] xlsx, string sheet) =>
        new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().ToList();

    [Fact]
    public async Task Run_DefaultSettings_ShowsCutoffAndCountsPerSchoolAndRound()
    {
        var (admin, id) = await UploadAsync();

        var html = await admin.GetStringAsync($"/Admission/Run?id={id}&share=0.4");

        Assert.Contains(Cutoff("统招", "H1", "县一中", "680", 3, 3), html);
        Assert.Contains(Cutoff("统招", "H2", "县二中", "630", 3, 3), html);
        Assert.Contains(Cutoff("指标生", "H1", "县一中", "665", 1, 2), html);
        Assert.Contains(Cutoff("配转统", "H1", "县一中", "620", 1, 1), html);
        Assert.Matches("<div>统招</div><div class=\"value\">6</div>", html);
        Assert.Matches("<div>指标生</div><div class=\"value\">1</div>", html);
        Assert.Matches("<div>未录取</div><div class=\"value\">1</div>", html);
    }

    [Fact]
    public async Task Run_SortAndFilterApplicants_ListInRequestedOrder()
    {
        var (admin, id) = await UploadAsync();

        static List<string> Exams(string html) => Regex.Matches(html, "<td>(A[0-9])</td><td>生").Select(m => m.Groups[1].Value).ToList();
        var byExamDesc = Exams(await admin.GetStringAsync($"/Admission/Run?id={id}&share=0.4&sort=-exam"));
        var bySchool = Exams(await admin.GetStringAsync($"/Admission/Run?id={id}&share=0.4&sort=school"));
        var none = Exams(await admin.GetStringAsync($"/Admission/Run?id={id}&share=0.4&outcome=none"));
        var zhibiao = Exams(await admin.GetStringAsync($"/Admission/Run?id={id}&share=0.4&outcome=zhibiao"));

        Assert.Equal(["A9", "A8", "A7", "A6", "A5", "A4", "A3", "A2", "A1"], byExamDesc);
        // 县一中 < 县二中 (ordinal), ties in rank order, 未录取 last.
        Assert.Equal(["A1", "A2", "A3", "A4", "A8", "A5", "A6", "A7", "A9"], bySchool);
        Assert.Equal(["A9"], none);
        Assert.Equal(["A4"], zhibiao);
    }

    [Fact]
    public async Task Run_AdvanceBatchForH2_RunsFirstAndLocksItsAdmissions()
    {
        var (admin, id) = await UploadAsync();

        // 提前批 H2 first: among pupils listing H2, A5 650, A6 640, A7 630 fill it; the rest as before.
        var html = await admin.GetStringAsync($"/Admission/Run?id={id}&share=0.4&adv=H2");

        Assert.Contains(Cutoff("提前批", "H2", "县二中", "630", 3, 3), html);
        Assert.Contains(Cutoff("统招", "H1", "县一中", "680", 3, 3), html);
        Assert.DoesNotContain(Cutoff("统招", "H2", "县二中", "630", 3, 3), html);
        Assert.Matches("<div>提前批</div><div class=\"value\">3</div>", html);
    }

    [Fact]
    public async Task Run_UnknownAdvanceSchool_ShowsErrorAndNoResults()
    {
        var (admin, id) = await UploadAsync();

        var html = await admin.GetStringAsync($"/Admission/Run?id={id}&adv=H9");

        Assert.Contains("批次 提前批：学校标识码 H9 不在高中计划中", html);
        Assert.DoesNotContain("导出分数线表", html);
    }

    [Fact]
    public async Task Explain_PupilBelowLinesAndFull_GivesReasonPerPreference()
    {
        var (admin, id) = await UploadAsync();

        var a5 = await admin.GetStringAsync($"/Admission/Explain?id={id}&share=0.4&exam=A5");
        var a9 = await admin.GetStringAsync($"/Admission/Explain?id={id}&share=0.4&exam=A9");
        var a9Line = await admin.GetStringAsync($"/Admission/Explain?id={id}&share=0.4&minline=615&exam=A9");
        var a8 = await admin.GetStringAsync($"/Admission/Explain?id={id}&share=0.4&exam=A8");
        var a5Advance = await admin.GetStringAsync($"/Admission/Explain?id={id}&share=0.4&adv=H2&exam=A5");

        // A5: H1 full at their turn in 统招 (分数线 680), admitted to H2; 指标生 650 < 660.
        Assert.Contains("<td class=\"num\">1</td><td>县一中（H1）</td><td>已满</td><td>统招：轮到该生时已满（该校统招分数线 680）</td>", a5);
        Assert.Contains("<td class=\"num\">2</td><td>县二中（H2）</td><td>录取</td>", a5);
        // A9: H1 full at their turn (the last run that offered it was 配转统, taken by A8 at 620).
        Assert.Contains("<td>县一中（H1）</td><td>已满</td>", a9);
        Assert.Contains("未录取", a9);
        // With 最低控制线 615, A9 (610) is below the line.
        Assert.Contains("<td>县一中（H1）</td><td>未上线</td>", a9Line);
        Assert.Contains("低于最低控制线 615", a9Line);
        // A8: H2 full, admitted to H1 in 配转统; 指标生 620 below the 指标生 line 660.
        Assert.Contains("<td>县二中（H2）</td><td>已满</td>", a8);
        Assert.Contains("<td>县一中（H1）</td><td>录取</td><td>配转统录取</td>", a8);
        Assert.Contains("低于指标生最低分 660", a8);
        // With 提前批 H2, A5 is admitted there (its second choice) before 统招 runs: H1 was never open to them.
        Assert.Contains("<td class=\"num\">1</td><td>县一中（H1）</td><td>不符合条件</td>", a5Advance);
        Assert.Contains("<td>县二中（H2）</td><td>录取</td><td>提前批录取</td>", a5Advance);
    }

    [Fact]
    public async Task Explain_UnknownExamNo_SaysSoInChinese()
    {
        var (admin, id) = await UploadAsync();

        var html = await admin.GetStringAsync($"/Admission/Explain?id={id}&exam=Z99");

        Assert.Contains("考号 Z99 不在考生名单中", html);
    }

    [Fact]
    public async Task ExportRoster_H1_ListsItsAdmittedInRankOrderWithBatch()
    {
        var (admin, id) = await UploadAsync();

        var r = await admin.GetAsync($"/Admission/Run?id={id}&share=0.4&handler=Roster&school=H1");
        var rows = Sheet(await r.Content.ReadAsByteArrayAsync(), "录取名册");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(["A1", "A2", "A3", "A4", "A8"], rows.Select(x => x["考号"]?.ToString()));
        Assert.Equal(["统招", "统招", "统招", "指标生", "配转统"], rows.Select(x => x["批次"]?.ToString()));
        Assert.All(rows, x => Assert.Equal("县一中", x["录取学校"]?.ToString()));
    }

    [Fact]
    public async Task ExportCutoffs_DefaultSettings_OneRowPerSchoolAndRound()
    {
        var (admin, id) = await UploadAsync();

        var r = await admin.GetAsync($"/Admission/Run?id={id}&share=0.4&handler=Cutoffs");
        var rows = Sheet(await r.Content.ReadAsByteArrayAsync(), "分数线")
            .Select(x => $"{x["批次"]} {x["学校标识码"]} {x["分数线"]} {x["录取人数"]}/{x["计划数"]}").ToList();

        Assert.Equal(["统招 H1 680 3/3", "统招 H2 630 3/3", "指标生 H1 665 1/2", "配转统 H1 620 1/1"], rows);
    }

    [Fact]
    public async Task Quotas_ByTownship_LargestRemainderTableAndExport()
    {
        var (admin, id) = await UploadAsync();

        // share 0.6 of 5 = 3 places: 东镇 3×30/50 = 1.8, 西镇 1.2 → floors 1 and 1, the remainder 0.8 gives 东镇 the third.
        var html = Regex.Replace(await admin.GetStringAsync($"/Admission/Quotas?id={id}&share=0.6&unit=township"), @">\s+<", "><");
        var export = await admin.GetAsync($"/Admission/Quotas?id={id}&share=0.6&unit=township&handler=Export");
        var rows = Sheet(await export.Content.ReadAsByteArrayAsync(), "指标生名额")
            .Select(x => $"{x["高中学校标识码"]} {x["分配单位"]} {x["名额"]}").ToList();

        Assert.Contains("<tr><td>东镇</td><td>东镇</td><td class=\"num\">30</td><td class=\"num\">2</td><td class=\"num\">2</td></tr>", html);
        Assert.Contains("<tr><td>西镇</td><td>西镇</td><td class=\"num\">20</td><td class=\"num\">1</td><td class=\"num\">1</td></tr>", html);
        Assert.DoesNotContain("县二中", html); // 指标生计划 0: not a key school
        Assert.Equal(["H1 东镇 2", "H1 西镇 1"], rows);
    }

    [Fact]
    public async Task WhatIf_WithoutReturnOfUnfilledPlaces_J1LosesOneKeySchoolPupil()
    {
        var (admin, id) = await UploadAsync();

        // A returns J1's unfilled 指标生 place to 统招 (A8 takes it); B does not, so A8 is not admitted.
        // J1 (A1 A3 A5 A6 A8): A reaches H1 with A1 A3 A8 = 3, B with A1 A3 = 2. J2 (A2 A4 A7 A9): A2 A4 = 2 in both.
        var html = await admin.GetStringAsync($"/Admission/WhatIf?id={id}&a_share=0.4&a_ret=1&b_share=0.4&b_ret=0&by=school");
        var byTownship = await admin.GetStringAsync($"/Admission/WhatIf?id={id}&a_share=0.4&a_ret=1&b_share=0.4&b_ret=0&by=township");

        Assert.Contains("<tr><td>东镇中学</td><td class=\"num\">5</td><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">-1</td>", html);
        Assert.Contains("<tr><td>西镇中学</td><td class=\"num\">4</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">0</td>", html);
        Assert.Contains("<tr><td>东镇</td><td class=\"num\">5</td><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">-1</td>", byTownship);
    }

    /// <summary>
    /// The roster holds 九年级 pupils: 东镇中学 3, 西乡小学 1 (and one 八年级 at 东镇中学 who does not count). The file has
    /// one applicant from each and no 初中学校 sheet, so by applicants the split would be 1:1; from the roster, H1's
    /// 4 指标生 places (0.8 × 5) split 3:1.
    /// </summary>
    [Fact]
    public async Task Upload_GraduatesFromRoster_QuotasFollowRosterCounts()
    {
        await using (var ctx = Database.OpenSystem(_app.Database, "test"))
        {
            foreach (var n in new[] { "R1", "R2", "R3" }) TinyCounty.AddPupil(ctx, n, "九" + n, _app.County.EastJunior, Grade.G9, _app.County.County.Id);
            TinyCounty.AddPupil(ctx, "R4", "九R4", _app.County.WestPrimary, Grade.G9, _app.County.County.Id);
            await ctx.SaveChangesAsync();
        }
        var admin = await _app.LoginAsync("admin");
        var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object>
        {
            ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "县一中"), ("统招计划", 5), ("指标生计划", null)) },
            ["考生"] = new[] { A("E1", "4500000002", 600, "H1"), A("W1", "4500000003", 590, "H1") },
        });
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Admission");
        var content = new ByteArrayContent(ms.ToArray());
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("名册"), "Name" },
            { new StringContent("true"), "FromRoster" },
            { content, "Upload", "roster.xlsx" },
        };

        var r = await admin.PostAsync("/Admission", form);
        var id = Regex.Match(r.Headers.Location?.OriginalString ?? "", "id=([0-9a-f-]+)").Groups[1].Value;
        var html = Regex.Replace(await admin.GetStringAsync($"/Admission/Quotas?id={id}&share=0.8"), @">\s+<", "><");

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Contains("<tr><td>4500000002</td><td>东镇中学</td><td class=\"num\">3</td><td class=\"num\">3</td>", html);
        Assert.Contains("<tr><td>4500000003</td><td>西乡小学</td><td class=\"num\">1</td><td class=\"num\">1</td>", html);
    }

    [Fact]
    public async Task ResultPages_SchoolUser_Forbidden()
    {
        var (_, id) = await UploadAsync();
        var school = await _app.LoginAsync("school");

        foreach (var url in new[] { $"/Admission/Run?id={id}", $"/Admission/Quotas?id={id}", $"/Admission/Explain?id={id}&exam=A1",
                     $"/Admission/WhatIf?id={id}", $"/Admission/Run?id={id}&handler=Roster&school=H1" })
        {
            var r = await school.GetAsync(url);
            Assert.NotEqual(HttpStatusCode.OK, r.StatusCode);
        }
    }
}
