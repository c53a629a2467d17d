using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EduBureau.Core.Quality;
using Microsoft.EntityFrameworkCore;
using CoreDatabase = EduBureau.Core.Data.Database;

namespace EduBureau.Web.Tests;

/// <summary>
/// 数据质量规则 (/Collection/Rules, #17 item 3) through real HTTP on TinyCounty, 2025: 东镇小学 2 pupils, 东镇中学 1,
/// 西乡小学 1. The rule 学生 >= 2 is broken by 东镇中学 and 西乡小学 (2 schools), not by 东镇小学.
/// </summary>
public class QualityRulePageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static Dictionary<string, string> Form(string token, string code = "min_two_pupils", string name = "在校生不足2人",
        string left = "学生", string comparator = ">=", string right = "2", string severity = "Error", string dataset = "") => new()
    {
        ["__RequestVerificationToken"] = token, ["Form.Code"] = code, ["Form.Name"] = name, ["Form.Left"] = left,
        ["Form.Comparator"] = comparator, ["Form.Right"] = right, ["Form.Severity"] = severity, ["Form.Dataset"] = dataset,
        ["Form.Enabled"] = "true",
    };

    private async Task<bool> SavedAsync(string code)
    {
        await using var ctx = CoreDatabase.OpenSystem(app.Database, "test");
        return await ctx.Set<QualityRuleDefinition>().AnyAsync(x => x.Code == code);
    }

    private async Task SaveRuleAsync(HttpClient admin)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Collection/Rules");
        var r = await admin.PostAsync("/Collection/Rules", new FormUrlEncodedContent(Form(token)));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
    }

    private static async Task<JsonElement> PreviewAsync(HttpClient client, Dictionary<string, string> form)
    {
        var r = await client.PostAsync("/Collection/Rules?handler=Preview", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The result table's rows of the check on demand: (级别, 规则, 学校, 说明).</summary>
    private static List<(string Severity, string Rule, string School, string Message)> Found(string html)
    {
        var table = Regex.Match(html, "<h2>检查结果.*?</table>", RegexOptions.Singleline);
        Assert.True(table.Success, "没有检查结果");
        return Regex.Matches(table.Value, "<tr><td class=\"nw\">([^<]*)</td>\\s*<td class=\"nw\">([^<]*)</td>\\s*<td class=\"nw\">([^<]*)</td><td>([^<]*)</td></tr>")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value)).ToList();
    }

    [Fact]
    public async Task Admin_SavesARule_CheckOnDemandShowsItsFindings_ScopedForASchool()
    {
        var admin = await app.LoginAsync("admin");
        await SaveRuleAsync(admin);

        var page = await admin.GetStringAsync("/Collection/Rules");
        Assert.Contains("规则“在校生不足2人”已保存", page);
        Assert.Contains("<code style=\"white-space:normal\">学生 &gt;= 2</code>", page);

        var run = await admin.GetStringAsync("/Collection/Rules?run=true");
        var mine = Found(run).Where(f => f.Rule == "在校生不足2人").OrderBy(f => f.School, StringComparer.Ordinal).ToList();
        Assert.Equal([("错误", "在校生不足2人", "东镇中学", "东镇中学：学生 = 1，应 &gt;= 2"), ("错误", "在校生不足2人", "西乡小学", "西乡小学：学生 = 1，应 &gt;= 2")],
            mine.OrderBy(f => f.School == "东镇中学" ? 0 : 1).ToList());

        // 东镇小学 (2 pupils) keeps the rule and sees none of the others' findings.
        var school = await app.LoginAsync("school");
        var own = await school.GetStringAsync("/Collection/Rules?run=true");
        Assert.DoesNotContain(Found(own), f => f.Rule == "在校生不足2人");
        Assert.DoesNotContain("东镇中学", own);
        Assert.DoesNotContain("西乡小学", own);
        Assert.DoesNotContain("name=\"Form.Code\"", own); // only the bureau defines

        // 东镇 sees 东镇中学's finding, not 西乡小学's.
        var east = await app.LoginAsync("east");
        var town = Found(await east.GetStringAsync("/Collection/Rules?run=true")).Where(f => f.Rule == "在校生不足2人").Select(f => f.School).ToList();
        Assert.Equal(["东镇中学"], town);
    }

    [Fact]
    public async Task Preview_CountsTheSchoolsThatBreakIt_OrNamesThePosition_SavesNothing()
    {
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Collection/Rules");

        var breaks = await PreviewAsync(admin, Form(token, code: "preview_rule"));
        var holds = await PreviewAsync(admin, Form(token, code: "preview_rule", right: "1"));
        var bad = await PreviewAsync(admin, Form(token, code: "preview_rule", left: "学生 / (班级"));

        Assert.True(breaks.GetProperty("ok").GetBoolean(), breaks.ToString());
        var text = breaks.GetProperty("text").GetString()!;
        Assert.Contains("2025学年当前范围有2所学校不符合", text);
        Assert.Contains("东镇中学：学生 = 1，应 >= 2", text);
        Assert.Contains("西乡小学：学生 = 1，应 >= 2", text);
        Assert.Equal("2025学年当前范围3所学校均符合此规则", holds.GetProperty("text").GetString());
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.StartsWith("左式第9个字符处", bad.GetProperty("errors").GetProperty("Left").GetString());
        Assert.False(await SavedAsync("preview_rule"));
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("duxue")]
    [InlineData("east")]
    [InlineData("school")]
    public async Task NonAdmin_SaveAndPreview_Forbidden_ButReadsTheCheck(string user)
    {
        var client = await app.LoginAsync(user);
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Collection/Rules");
        var code = $"rule_by_{user}";

        var save = await client.PostAsync("/Collection/Rules", new FormUrlEncodedContent(Form(token, code: code)));
        var preview = await client.PostAsync("/Collection/Rules?handler=Preview", new FormUrlEncodedContent(Form(token, code: code)));
        var run = await client.GetAsync("/Collection/Rules?run=true");

        Assert.Equal(HttpStatusCode.Forbidden, save.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, preview.StatusCode);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Contains("检查结果", await run.Content.ReadAsStringAsync());
        Assert.False(await SavedAsync(code));
    }

    [Fact]
    public async Task Save_Invalid_ChineseMessagesBesideTheFields_NothingSaved()
    {
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Collection/Rules");

        var r = await admin.PostAsync("/Collection/Rules", new FormUrlEncodedContent(Form(token, code: "class_size", name: "内置代码", left: "学生 / (班级")));
        var severity = await admin.PostAsync("/Collection/Rules", new FormUrlEncodedContent(Form(token, code: "bad_severity", name: "级别无效", severity: "Bogus")));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Form.Code\"[^>]*>“class_size”是内置规则的代码", html);
        Assert.Matches("data-for=\"Left\"[^>]*>左式第9个字符处", html);
        // A severity the select never sends fails binding: not saved as 预警 (the form's default) anyway.
        Assert.Equal(HttpStatusCode.OK, severity.StatusCode);
        Assert.Matches("data-valmsg-for=\"Form.Severity\"[^>]*>“Bogus”格式不正确<", await severity.Content.ReadAsStringAsync());
        Assert.False(await SavedAsync("class_size"));
        Assert.False(await SavedAsync("bad_severity"));
    }
}
