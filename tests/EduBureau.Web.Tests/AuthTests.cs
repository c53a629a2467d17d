using System.Net;

namespace EduBureau.Web.Tests;

public class AuthTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Home_Anonymous_RedirectsToLogin()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Api_Anonymous_Is401NotRedirect()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/api/stats");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsChineseError()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Login");

        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "keshi", ["Password"] = "wrong-password-1", ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_IsRejected()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = WebAppFactory.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/Account/Login");

        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Stats_SchoolUser_CountsOnlyOwnSchool()
    {
        var client = await app.LoginAsync("school");

        var json = await client.GetStringAsync("/api/stats?year=2025");

        Assert.Contains("\"schools\":1", json);
        Assert.Contains("\"students\":2", json);
    }

    [Fact]
    public async Task Health_IsAnonymousAndHealthy()
    {
        var client = app.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_DocumentIsServed()
    {
        var client = app.CreateClient();

        var json = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/stats", json);
    }
}
