using System.Net;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// The frame over the demo county through real HTTP: the menu follows the user's school (中考招生 only where there is
/// 初三), and the login page is a card naming the product and the bureau.
/// </summary>
public class LayoutMenuTests(DemoFixture app) : IClassFixture<DemoFixture>
{
    private const string AdmissionLink = "href=\"/Admission\"";

    [Fact]
    public async Task Menu_PrimarySchoolUser_HasNoAdmissionEntryButPageStaysReachable()
    {
        await using (var db = app.Open())
            Assert.Equal(Core.Common.SchoolLevel.Primary, await db.Schools.Where(s => s.Id == app.SchoolId).Select(s => s.Level).SingleAsync());
        var client = await app.LoginAsync("xuexiao");
        var home = await client.GetStringAsync("/");
        Assert.Contains("href=\"/Students\"", home);
        Assert.DoesNotContain(AdmissionLink, home);
        // Hidden is not forbidden: PagePolicies still lets every role open /Admission (it forwards to 本校考生录取).
        var admission = await client.GetAsync("/Admission/Mine");
        Assert.Equal(HttpStatusCode.OK, admission.StatusCode);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("xiangzhen")]
    public async Task Menu_AdminOrTownship_HasAdmissionEntry(string user)
    {
        var client = await app.LoginAsync(user);
        Assert.Contains(AdmissionLink, await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task LoginPage_Demo_CardNamesProductBureauAndHelp()
    {
        string county;
        await using (var db = app.Open())
            county = await db.OrgUnits.Where(u => u.Kind == Core.Common.OrgUnitKind.County).Select(u => u.Name).SingleAsync();
        var html = await app.CreateClient().GetStringAsync("/Account/Login");
        Assert.Contains("class=\"login-card\"", html);
        Assert.Contains("EduBureau 教育局业务平台", html);
        Assert.Contains($"<p class=\"login-bureau\">{county}教育局</p>", html);
        Assert.Contains("<label for=\"UserName\">用户名</label>", html);
        Assert.Contains("<label for=\"Password\">密码</label>", html);
        Assert.Contains("忘记密码请联系局管理员", html);
    }
}
