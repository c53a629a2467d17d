using System.Net;
using System.Text;
using System.Text.Json;
using EduBureau.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// Findings 7 and 17 of the outside probe (#14), through real HTTP: a mask that cannot be rebuilt from the birth date
/// and the county code, exact-number searches by masked roles audited, and no 500 on odd input.
/// </summary>
public class ProbeFindingsTests(RosterFixture fx) : IClassFixture<RosterFixture>
{
    private WebAppFactory App => fx.App;

    [Theory]
    [InlineData("duxue")]
    [InlineData("keshi")]
    public async Task StudentApi_MaskedRole_NoAreaOrBirthDigitsBesideTheBirthDate(string user)
    {
        var client = await App.LoginAsync(user);

        using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/students/{fx.ZhaoId}"));

        // 赵六: 452101 20190301 123 + check; the birth date is shown, so the number may keep only "123" + check.
        var id = doc.RootElement.GetProperty("idNumber").GetString()!;
        Assert.Equal("2019-03-01", doc.RootElement.GetProperty("birthDate").GetString());
        Assert.Equal("**************123" + fx.ZhaoIdNumber[^1], id);
        Assert.DoesNotContain("4521", id);
        Assert.DoesNotContain("2019", id);
    }

    [Theory]
    [InlineData("duxue", "/api/students?q=")]
    [InlineData("keshi", "/Students?q=")]
    public async Task Search_MaskedRoleByExactIdNumber_Audited(string user, string url)
    {
        var client = await App.LoginAsync(user);
        await using (var before = fx.Open())
            Assert.False(await before.AuditLog.AnyAsync(a => a.Action == "按证件号查询" && a.UserName == user && a.Entity == "Student"));

        var response = await client.GetAsync(url + fx.ZhaoIdNumber);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fx.Open();
        var entry = await db.AuditLog.SingleAsync(a => a.Action == "按证件号查询" && a.UserName == user && a.Entity == "Student");
        // The log holds the number as the role may see it, and how many rows matched (赵六 only).
        Assert.Equal("**************123" + fx.ZhaoIdNumber[^1] + "：命中 1 条", entry.Changes);
    }

    [Fact]
    public async Task Search_MaskedRoleByExactIdNumberWithNul_StillAuditedAndNoError()
    {
        var client = await App.LoginAsync("east");
        var response = await client.GetAsync("/api/students?q=" + Uri.EscapeDataString(fx.ZhaoIdNumber + "\0"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fx.Open();
        Assert.True(await db.AuditLog.AnyAsync(a => a.Action == "按证件号查询" && a.UserName == "east" && a.Entity == "Student"));
    }

    [Fact]
    public async Task Search_FullRoleByExactIdNumberOrMaskedRoleByName_NotAudited()
    {
        var admin = await App.LoginAsync("admin");
        var inspector = await App.LoginAsync("duxue");

        await admin.GetStringAsync("/api/staff?q=" + fx.ZhaoIdNumber);
        await inspector.GetStringAsync("/api/staff?q=" + Uri.EscapeDataString("陈老师"));

        await using var db = fx.Open();
        Assert.False(await db.AuditLog.AnyAsync(a => a.Action == "按证件号查询" && a.Entity == "StaffMember"));
    }

    [Fact]
    public async Task StudentList_NulInGridFilter_StrippedWithChineseNotice()
    {
        var client = await App.LoginAsync("admin");

        var response = await client.GetAsync("/Students?f_name=" + Uri.EscapeDataString("赵\0六"));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("筛选条件中的控制字符（如 NUL）无效，已删除", html);
        Assert.Contains("<strong>1</strong>", html); // 赵六 alone matches "赵六"
        Assert.Contains("赵六", html);
    }

    [Fact]
    public async Task StaffApi_NulInGridFilter_Ok()
    {
        var client = await App.LoginAsync("admin");

        var response = await client.GetAsync("/api/staff?f_subject=%00");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Login_EmptyForm_ShowsValidationMessage()
    {
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Login");

        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "", ["Password"] = "", ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("请输入用户名和密码", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ScoreUpload_120CharacterFileName_ClearMessage()
    {
        var id = await ExamPagesTests.ExamFor(App);
        var client = await App.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, $"/Exams/Upload?id={id}");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var name = new string('成', 116) + ".csv"; // 120 characters, 352 bytes in UTF-8: more than a file system allows
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("学籍号,姓名,学校标识码,班级,语文,数学\n")), "file", name);

        var response = await client.PostAsync($"/Exams/Upload?id={id}", form);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("文件名过长（120 个字符，最多 80 个），请改短文件名后重新上传", html);
    }
}
