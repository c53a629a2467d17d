using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EduBureau.Core.Indicators;
using Microsoft.EntityFrameworkCore;
using CoreDatabase = EduBureau.Core.Data.Database;

namespace EduBureau.Web.Tests;

/// <summary>
/// 自定义指标 (/Indicators/Custom, #17 item 4) through real HTTP on TinyCounty, 2025: 东镇小学 2 pupils, 东镇中学 1,
/// 西乡小学 1. 小学生占比 = 学生[学段=小学] / 学生 × 100 = 3 / 4 = 75.0% (东镇 2 / 3 = 66.7%, 西乡 1 / 1 = 100.0%).
/// </summary>
public class CustomIndicatorPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static Dictionary<string, string> Form(string token, string code = "primary_share", string name = "小学生占比",
        string numerator = "学生[学段=小学]", string denominator = "学生", string scale = "100", string unit = "%") => new()
    {
        ["__RequestVerificationToken"] = token, ["Form.Code"] = code, ["Form.Name"] = name, ["Form.Numerator"] = numerator,
        ["Form.Denominator"] = denominator, ["Form.Scale"] = scale, ["Form.Unit"] = unit, ["Form.HigherIsBetter"] = "true", ["Form.Note"] = "",
    };

    private async Task<bool> SavedAsync(string code)
    {
        await using var ctx = CoreDatabase.OpenSystem(app.Database, "test");
        return await ctx.Set<CustomIndicator>().AnyAsync(x => x.Code == code);
    }

    private static async Task<JsonElement> PreviewAsync(HttpClient client, Dictionary<string, string> form)
    {
        var r = await client.PostAsync("/Indicators/Custom?handler=Preview", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Admin_SavesAnIndicator_IndicatorsListsItWithItsValue_DetailByTownship()
    {
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Indicators/Custom");

        var r = await admin.PostAsync("/Indicators/Custom", new FormUrlEncodedContent(Form(token)));

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var custom = await admin.GetStringAsync("/Indicators/Custom");
        Assert.Contains("指标“小学生占比”已保存", custom);
        Assert.Contains("<a href=\"/Indicators/Detail?code=primary_share&by=Township\">primary_share</a>", custom);

        var list = await admin.GetStringAsync("/Indicators");
        var row = Regex.Match(list, "<tr data-code=\"primary_share\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, "指标页没有 primary_share 一行");
        Assert.Contains("小学生占比", row.Value);
        Assert.Contains("<td class=\"num\">75.0%</td>", row.Value);
        Assert.Matches("<td class=\"num\">3</td>\\s*<td>[^<]*</td>\\s*<td class=\"num\">4</td>", row.Value);

        var detail = await admin.GetAsync("/Indicators/Detail?code=primary_share&by=Township");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        var html = await detail.Content.ReadAsStringAsync();
        Assert.Contains("小学生占比", html);
        Assert.Contains("66.7%", html); // 东镇 2 / 3
        Assert.Contains("100.0%", html); // 西乡 1 / 1

        // Every role reads it (科室 sees the value but no form).
        var keshi = await app.LoginAsync("keshi");
        Assert.Contains("primary_share", await keshi.GetStringAsync("/Indicators/Custom"));
        Assert.DoesNotContain("name=\"Form.Code\"", await keshi.GetStringAsync("/Indicators/Custom"));
        Assert.Equal(HttpStatusCode.OK, (await keshi.GetAsync("/Indicators/Detail?code=primary_share&by=Township")).StatusCode);
    }

    [Fact]
    public async Task Preview_UnclosedBracket_NamesThePosition_ValidOne_GivesTheValue_NothingSaved()
    {
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Indicators/Custom");

        var bad = await PreviewAsync(admin, Form(token, code: "preview_bad", denominator: "学生 / (班级"));
        var good = await PreviewAsync(admin, Form(token, code: "preview_good"));
        var blankCode = await PreviewAsync(admin, Form(token, code: ""));

        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.Contains("分母第9个字符处：缺少右括号", bad.GetProperty("message").GetString());
        Assert.StartsWith("分母第9个字符处：", bad.GetProperty("errors").GetProperty("Denominator").GetString());
        Assert.True(good.GetProperty("ok").GetBoolean(), good.ToString());
        Assert.Equal("75.0%", good.GetProperty("value").GetString());
        Assert.Equal("3", good.GetProperty("numerator").GetString());
        Assert.Equal("4", good.GetProperty("denominator").GetString());
        Assert.Equal(2025, good.GetProperty("year").GetInt32());
        Assert.True(blankCode.GetProperty("ok").GetBoolean(), "预览不需要代码");
        Assert.False(await SavedAsync("preview_bad"));
        Assert.False(await SavedAsync("preview_good"));
    }

    [Fact]
    public async Task Preview_BadNumerator_NamesTheNumeratorsPosition()
    {
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Indicators/Custom");

        var bad = await PreviewAsync(admin, Form(token, numerator: "学生 / (班级"));

        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.StartsWith("分子第9个字符处：", bad.GetProperty("errors").GetProperty("Numerator").GetString());
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("duxue")]
    [InlineData("east")]
    [InlineData("school")]
    public async Task NonAdmin_SaveDeleteAndPreview_Forbidden_NothingSaved(string user)
    {
        var client = await app.LoginAsync(user);
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Indicators/Custom");
        var code = $"forbidden_{user}";

        var save = await client.PostAsync("/Indicators/Custom", new FormUrlEncodedContent(Form(token, code: code)));
        var preview = await client.PostAsync("/Indicators/Custom?handler=Preview", new FormUrlEncodedContent(Form(token, code: code)));
        var delete = await client.PostAsync("/Indicators/Custom?handler=Delete",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["code"] = code }));

        Assert.Equal(HttpStatusCode.Forbidden, save.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, preview.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.False(await SavedAsync(code));
    }

    [Fact]
    public async Task Save_Invalid_ChineseMessagesBesideTheFields_NothingSaved()
    {
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Indicators/Custom");

        var r = await admin.PostAsync("/Indicators/Custom", new FormUrlEncodedContent(Form(token, code: "Bad-Code", denominator: "学生 / (班级", unit: "")));
        var builtIn = await admin.PostAsync("/Indicators/Custom", new FormUrlEncodedContent(Form(token, code: IndicatorCatalog.LargeClassShare)));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Form.Code\"[^>]*>指标代码须以小写字母开头", html);
        Assert.Matches("data-valmsg-for=\"Form.Denominator\"[^>]*>分母第9个字符处：缺少右括号", html);
        Assert.Matches("data-valmsg-for=\"Form.Unit\"[^>]*>请填写单位", html);
        Assert.Contains("内置指标", await builtIn.Content.ReadAsStringAsync());
        Assert.False(await SavedAsync("Bad-Code"));
    }

    [Fact]
    public async Task Save_ScaleNotANumber_RefusedNotSavedWithTheDefault()
    {
        // "abc" fails binding: the indicator must not be saved with the form's default 倍数 (100) instead.
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Indicators/Custom");

        var r = await admin.PostAsync("/Indicators/Custom", new FormUrlEncodedContent(Form(token, code: "scale_typo", scale: "abc")));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Matches("data-valmsg-for=\"Form.Scale\"[^>]*>“abc”格式不正确<", await r.Content.ReadAsStringAsync());
        Assert.False(await SavedAsync("scale_typo"));
    }

    [Fact]
    public async Task Preview_ScaleBeingTyped_SaysSoRatherThanPreviewingWithTheDefault()
    {
        // A number input sends "" while its text is not yet a number ("1e"): the preview must not use 倍数 100 silently.
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Indicators/Custom");

        var empty = await PreviewAsync(admin, Form(token, scale: ""));
        var one = await PreviewAsync(admin, Form(token, scale: "1", unit: "人"));

        Assert.False(empty.GetProperty("ok").GetBoolean());
        Assert.StartsWith("倍数：", empty.GetProperty("message").GetString());
        Assert.True(one.GetProperty("ok").GetBoolean());
        Assert.Equal("0.8人", one.GetProperty("value").GetString()); // 3 / 4 × 1
    }
}
