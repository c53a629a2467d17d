using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using EduBureau.Core.Aid;
using EduBureau.Core.Data;
using EduBureau.Core.Tests.Aid;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>
/// /Aid over <see cref="AidSample"/>: 2025 term 1, findings G1 missed (东镇小学), G4 ineligible (西乡小学), T2 duplicate
/// (东镇小学 and 西乡小学), G2 wrong amount (东镇小学), D1 not in school (东镇小学).
/// </summary>
public class AidPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Tests of a class share the database and run one after another: the scenario is seeded once.</summary>
    private async Task SeedAsync()
    {
        await using var ctx = Database.OpenSystem(app.Database, "test");
        if (await ctx.Set<AidProgram>().AnyAsync(p => p.Name == AidSample.Program)) return;
        await AidSample.SeedAidAsync(ctx, app.County);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName, string contentType)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Aid");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return await client.PostAsync("/Aid?handler=Upload", form);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string handler, params (string Key, string Value)[] fields)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Aid");
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token));
        return await client.PostAsync($"/Aid?handler={handler}", new FormUrlEncodedContent(values));
    }

    private static string Compact(string html) => Regex.Replace(html, @">\s+<", "><");

    [Fact]
    public async Task Aid_AdminUploadsFile_ResultsShownPerTownshipAndSchoolAndExportedAsXlsx()
    {
        await SeedAsync();
        var admin = await app.LoginAsync("admin");

        var upload = await UploadAsync(admin, Encoding.UTF8.GetBytes(AidSample.Csv), "发放.csv", "text/csv");
        var page = Compact(await admin.GetStringAsync("/Aid"));
        var export = await admin.GetAsync("/Aid?handler=Export");
        var school = await (await app.LoginAsync("school")).GetStringAsync("/Aid");

        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        Assert.Contains("钱转", page);
        // Columns: 漏助, 不符合条件, 重复, 金额不符, 不在校. T2's duplicate counts for both schools and both townships.
        Assert.Contains("<tr><td>东镇</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td></tr>", page);
        Assert.Contains("<tr><td>西乡</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td></tr>", page);
        Assert.Contains("<tr><td>东镇小学</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td></tr>", page);
        Assert.Contains("<tr><td>西乡小学</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td></tr>", page);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(Xlsx, export.Content.Headers.ContentType?.MediaType);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        Assert.Equal(["明细", "按乡镇", "按学校"], new MemoryStream(bytes).GetSheetNames());
        var rows = new MemoryStream(bytes).Query(useHeaderRow: true, sheetName: "明细").Cast<IDictionary<string, object>>().ToList();
        var towns = new MemoryStream(bytes).Query(useHeaderRow: true, sheetName: "按乡镇").Cast<IDictionary<string, object>>()
            .Select(r => $"{r["乡镇"]}:{r["漏助（符合条件未发放）"]},{r["不符合条件却发放"]},{r["同一学期重复发放"]},{r["金额与标准不符"]},{r["发放给不在校学生"]}").ToList();
        Assert.Equal(["东镇:1,0,1,1,1", "西乡:0,1,1,0,0"], towns);
        Assert.Equal(["漏助（符合条件未发放）", "不符合条件却发放", "同一学期重复发放", "金额与标准不符", "发放给不在校学生"], rows.Select(r => (string)r["问题类型"]));
        Assert.Equal(["G1", "G4", "T2", "G2", "D1"], rows.Select(r => (string)r["学籍号"]));
        Assert.Equal(1000m, Convert.ToDecimal(rows[2]["已发金额"], System.Globalization.CultureInfo.InvariantCulture));
        // 东镇小学's user: G1, T2, G2, D1; not 西乡小学's G4, and no 西乡小学 row in the per-school table.
        Assert.Contains("张二", school);
        Assert.DoesNotContain("王四", school);
        Assert.DoesNotContain("<td>西乡小学</td>", Compact(school));
        // A school sees its findings in the cards: no per-township or per-school split of itself; a township keeps the per-school one.
        Assert.Contains("id=\"by-township\"", page);
        Assert.DoesNotContain("id=\"by-township\"", school);
        Assert.DoesNotContain("id=\"by-school\"", school);
        var township = await (await app.LoginAsync("east")).GetStringAsync("/Aid");
        Assert.DoesNotContain("id=\"by-township\"", township);
        Assert.Contains("id=\"by-school\"", township);
    }

    [Fact]
    public async Task Aid_XlsxWithBadRows_ShowsFileRowAndColumnAndWritesNothing()
    {
        await SeedAsync();
        var admin = await app.LoginAsync("admin");
        await using var before = Database.OpenSystem(app.Database, "test");
        var count = await before.Set<AidDisbursement>().CountAsync();
        using var ms = new MemoryStream();
        ms.SaveAs(new[]
        {
            new Dictionary<string, object?> { ["学籍号"] = "G1", ["姓名"] = "张一", ["项目"] = AidSample.Program, ["学期"] = "2025-1", ["金额"] = 500 },
            new Dictionary<string, object?> { ["学籍号"] = "G2", ["姓名"] = "张二", ["项目"] = "没有的项目", ["学期"] = "2025-1", ["金额"] = 250 },
            new Dictionary<string, object?> { ["学籍号"] = "G4", ["姓名"] = "王四", ["项目"] = AidSample.Program, ["学期"] = "明年", ["金额"] = -5 },
        });

        var response = await UploadAsync(admin, ms.ToArray(), "坏名单.xlsx", Xlsx);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("文件 坏名单.xlsx 第3行 C列（项目）：资助项目“没有的项目”不存在", html);
        Assert.Contains("文件 坏名单.xlsx 第4行 D列（学期）", html);
        Assert.Contains("文件 坏名单.xlsx 第4行 E列（金额）", html);
        await using var after = Database.OpenSystem(app.Database, "test");
        Assert.Equal(count, await after.Set<AidDisbursement>().CountAsync());
    }

    [Fact]
    public async Task AidPrograms_AdminAddsEditsDeletes_OthersForbidden()
    {
        await SeedAsync();
        var admin = await app.LoginAsync("admin");
        var school = await app.LoginAsync("school");

        var add = await PostFormAsync(admin, "Program", ("name", "营养改善计划（初中）"), ("level", "3"), ("categories", "1"), ("categories", "2"),
            ("dayCategories", "1"), ("dayPercent", "100"), ("amountPerTerm", "400"));
        await using var ctx = Database.OpenSystem(app.Database, "test");
        var p = await ctx.Set<AidProgram>().AsNoTracking().SingleAsync(x => x.Name == "营养改善计划（初中）");
        var byOther = await PostFormAsync(school, "Program", ("name", "学校自设"), ("level", "2"), ("categories", "1"), ("dayPercent", "50"), ("amountPerTerm", "1"));
        var edit = await PostFormAsync(admin, "EditProgram", ("id", p.Id.ToString()), ("level", "3"), ("categories", "1"), ("dayPercent", "50"), ("amountPerTerm", "450"));
        var edited = await ctx.Set<AidProgram>().AsNoTracking().SingleAsync(x => x.Id == p.Id);
        var usedId = (await ctx.Set<AidProgram>().SingleAsync(x => x.Name == AidSample.Program)).Id;
        await UploadAsync(admin, Encoding.UTF8.GetBytes(AidSample.Csv), "发放.csv", "text/csv"); // same file name: replaces, so the program is in use
        var deleteUsed = await PostFormAsync(admin, "DeleteProgram", ("id", usedId.ToString()));
        var delete = await PostFormAsync(admin, "DeleteProgram", ("id", p.Id.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        Assert.Equal((AidLevel.Junior, AidCategory.PovertyRegistered | AidCategory.Subsistence, AidCategory.PovertyRegistered, 100, 400m),
            (p.Level, p.Categories, p.DayCategories, p.DayPercent, p.AmountPerTerm));
        Assert.Equal(HttpStatusCode.Forbidden, byOther.StatusCode);
        Assert.False(await ctx.Set<AidProgram>().AnyAsync(x => x.Name == "学校自设"));
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.Equal((AidCategory.PovertyRegistered, AidCategory.None, 50, 450m), (edited.Categories, edited.DayCategories, edited.DayPercent, edited.AmountPerTerm));
        Assert.Contains("已有发放记录，不能删除", await deleteUsed.Content.ReadAsStringAsync());
        Assert.True(await ctx.Set<AidProgram>().AnyAsync(x => x.Id == usedId));
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.False(await ctx.Set<AidProgram>().AnyAsync(x => x.Id == p.Id));
    }

    /// <summary>
    /// Issue #15: /Aid had no totals and empty tables said nothing. <see cref="AidSample.Csv"/>: 5 payments to G2, G4, T2 (twice),
    /// D1 = 4 pupils, 500 + 250 + 500 + 500 + 500 = 2,250.00 元; 东镇小学's user sees its own: G2, T2 (its payment), D1 = 1,500.00.
    /// 2024 (a year with pupils, see DropoutHistory) has no payments and no findings: every table says 无.
    /// </summary>
    [Fact]
    public async Task Aid_Page_ShowsTotalsWithThousandsSeparatorsAndNoneInEmptyTables()
    {
        await SeedAsync();
        var admin = await app.LoginAsync("admin");
        await UploadAsync(admin, Encoding.UTF8.GetBytes(AidSample.Csv), "发放.csv", "text/csv");

        var page = Compact(await admin.GetStringAsync("/Aid?Term=1"));
        var school = Compact(await (await app.LoginAsync("school")).GetStringAsync("/Aid?Term=1"));
        var other = await app.LoginAsync("admin");
        await RosterFixture.PostFormAsync(other, "/Aid", "/Account/View", new() { ["year"] = "2024", ["returnUrl"] = "/Aid" });
        var empty = Compact(await other.GetStringAsync("/Aid"));

        Assert.Contains($"<tr><td>{AidSample.Program}</td><td class=\"num\">4</td><td class=\"num\">5</td><td class=\"num\">2,250.00</td></tr>", page);
        Assert.Contains("<tfoot><tr><th>合计</th><th class=\"num\">4</th><th class=\"num\">5</th><th class=\"num\">2,250.00</th></tr></tfoot>", page);
        Assert.Contains("<tfoot><tr><th>合计</th><th class=\"num\">3</th><th class=\"num\">3</th><th class=\"num\">1,500.00</th></tr></tfoot>", school);
        Assert.Contains("2024–2025学年", empty);
        Assert.Contains("<tfoot><tr><th>合计</th><th class=\"num\">0</th><th class=\"num\">0</th><th class=\"num\">0.00</th></tr></tfoot>", empty);
        // 发放汇总, 按乡镇, 按学校 and 明细 each say 无.
        Assert.Equal(4, Regex.Matches(empty, "<td colspan=\"\\d+\" class=\"muted\">无</td>").Count);
    }
}
