using System.Net;

namespace EduBureau.Web.Tests;

/// <summary>UI text goes through the localizer: zh-CN by default, English from Resources/SharedResource.en.resx on request.</summary>
public class LocalizationTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Login_EnglishBrowser_StillChineseByDefault()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9");

        var html = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains(">登录</button>", html);
        Assert.Contains("用户名", html);
        Assert.DoesNotContain("Sign in", html);
    }

    [Fact]
    public async Task Login_CultureEn_ShowsEnglishTextAndEnglishError()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var html = await client.GetStringAsync("/Account/Login?culture=en");
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var failed = await client.PostAsync("/Account/Login?culture=en", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = "wrong-password", ["__RequestVerificationToken"] = token,
        }));
        var failedHtml = await failed.Content.ReadAsStringAsync();

        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains(">Sign in</button>", html);
        Assert.Contains("User name", html);
        Assert.DoesNotContain("用户名", html);
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Contains("Wrong user name or password", failedHtml);
    }

    [Fact]
    public async Task Home_CultureEn_TranslatesNavRoleAndSignOut()
    {
        var client = await app.LoginAsync("east");

        var html = await client.GetStringAsync("/?culture=en");

        Assert.Contains(">Pupils</a>", html);
        Assert.Contains("east（Township centre school）", html);
        Assert.Contains(">Sign out</button>", html);
        Assert.DoesNotContain(">学生</a>", html);
    }

    [Fact]
    public async Task StudentList_CultureEn_GridHeadersAndToolbarInEnglish()
    {
        var client = await app.LoginAsync("school");

        var en = await client.GetStringAsync("/Students?culture=en");
        var zh = await client.GetStringAsync("/Students");

        Assert.Contains("Student number", en);
        Assert.Contains("Export to Excel", en);
        Assert.DoesNotContain("学籍号", en);
        Assert.Contains("学籍号", zh);
        Assert.DoesNotContain("Student number", zh);
    }
}
