using System.Net;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduBureau.Web.Tests;

/// <summary>
/// <see cref="WebAppFactory"/> with two test hooks: the client address comes from the X-Test-Client header
/// (TestServer has none), and every password verification is counted (<see cref="CountingHasher"/>).
/// The address throttle is lowered to 8 failures so the test stays short.
/// </summary>
public sealed class LoginFactory : WebAppFactory
{
    public const string ClientHeader = "X-Test-Client";
    public const int AddressLimit = 8;
    public CountingHasher.Counter Verifications { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("LoginThrottle:MaxFailuresPerAddress", AddressLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
            services.AddSingleton(Verifications);
            services.AddScoped<IPasswordHasher<AppUser>, CountingHasher>();
        });
    }

    /// <summary>A new account (Identity hash, like every real one).</summary>
    public async Task CreateUserAsync(string name, string role = Roles.School)
    {
        await using var db = Core.Data.Database.OpenSystem(Database, "test");
        await UserAccounts.CreateAsync(db, name, WebAppFactory.Password, role,
            role == Roles.School ? County.EastPrimary.Id : County.County.Id);
    }

    /// <summary>A client from <paramref name="address"/> whose cookies the test can read (no redirects followed).</summary>
    public (HttpClient Client, CookieContainer Cookies) Browser(string address)
    {
        var cookies = new CookieContainer();
        var client = CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        client.DefaultRequestHeaders.Add(ClientHeader, address);
        return (client, cookies);
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string user, string password)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Login");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>A new account from <see cref="CreateUserAsync"/>, signed in from <paramref name="address"/>.</summary>
    public async Task<(HttpClient Client, CookieContainer Cookies)> SignedInAsync(string name, string address, string role = Roles.School)
    {
        await CreateUserAsync(name, role);
        var browser = Browser(address);
        var login = await PostLoginAsync(browser.Client, name, Password);
        if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"登录 {name} 失败：{login.StatusCode}");
        return browser;
    }

    public static async Task<HttpResponseMessage> ChangePasswordAsync(HttpClient client, string newPassword)
    {
        var token = await AntiforgeryTokenAsync(client, "/Account/ChangePassword");
        return await client.PostAsync("/Account/ChangePassword", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CurrentPassword"] = Password, ["NewPassword"] = newPassword, ["ConfirmPassword"] = newPassword, ["__RequestVerificationToken"] = token,
        }));
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, following) =>
            {
                if (ctx.Request.Headers[ClientHeader] is [{ } value]) ctx.Connection.RemoteIpAddress = IPAddress.Parse(value);
                return following(ctx);
            });
            next(app);
        };
    }
}

/// <summary>Identity's hasher, counting verifications: the test asserts work done, never a time.</summary>
public sealed class CountingHasher(CountingHasher.Counter counter) : IPasswordHasher<AppUser>
{
    public sealed class Counter
    {
        private int _value;
        public int Value => Volatile.Read(ref _value);
        public void Add() => Interlocked.Increment(ref _value);
    }

    private readonly PasswordHasher<AppUser> _inner = new();

    public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        counter.Add();
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

public sealed class SessionLoginTests(LoginFactory app) : IClassFixture<LoginFactory>
{
    private static string Stolen(CookieContainer cookies) => cookies.GetCookies(new Uri("http://localhost"))["edu.auth"]!.Value;

    private HttpClient Attacker(string cookie)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", "edu.auth=" + cookie);
        client.DefaultRequestHeaders.Add(LoginFactory.ClientHeader, "203.0.113.66");
        return client;
    }

    [Theory]
    [InlineData("huihua1", Roles.School)]
    [InlineData("huihua1-duxue", Roles.Inspector)] // a read-only role may renew its own stamp
    [InlineData("huihua1-admin", Roles.BureauAdmin)]
    public async Task Logout_CopiedCookie_IsRefusedOnApiAndExport(string user, string role)
    {
        var (browser, cookies) = await app.SignedInAsync(user, "198.51.100.1", role);
        var copy = Attacker(Stolen(cookies));
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/students")).StatusCode); // the copy works while signed in

        var token = await WebAppFactory.AntiforgeryTokenAsync(browser, "/Account/ChangePassword");
        var logout = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var api = await copy.GetAsync("/api/students");
        var export = await copy.GetAsync("/Students?handler=Export");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
        Assert.StartsWith("/Account/Login", export.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ChangePassword_CopiedCookie_IsRefusedButTheChangingBrowserStaysSignedIn()
    {
        var (browser, cookies) = await app.SignedInAsync("huihua2", "198.51.100.2");
        var copy = Attacker(Stolen(cookies));

        var change = await LoginFactory.ChangePasswordAsync(browser, "Lijiang2026river");

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/students")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/Students?handler=Export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/students")).StatusCode);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("disable")]
    [InlineData("role")]
    public async Task AdminChange_CopiedCookie_IsRefused(string change)
    {
        var user = "huihua3-" + change;
        var (_, cookies) = await app.SignedInAsync(user, "198.51.100.3");
        var copy = Attacker(Stolen(cookies));

        await using (var db = Database.OpenSystem(app.Database, "test"))
        {
            var id = await db.Users.Where(u => u.UserName == user).Select(u => u.Id).SingleAsync();
            var done = change switch
            {
                "reset" => await ManageUsers.ResetPasswordAsync(db, id),
                "disable" => await ManageUsers.SetDisabledAsync(db, id, true),
                _ => await ManageUsers.ChangeRoleAsync(db, id, Roles.Township, app.County.East.Id),
            };
            Assert.True(done.Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/students")).StatusCode);
    }

    [Fact]
    public async Task Login_UnknownDisabledOrExistingUser_EachVerifiesOnePasswordHash()
    {
        await app.CreateUserAsync("shijian");
        await app.CreateUserAsync("shijian-off");
        await using (var db = Database.OpenSystem(app.Database, "test"))
        {
            var id = await db.Users.Where(u => u.UserName == "shijian-off").Select(u => u.Id).SingleAsync();
            Assert.True((await ManageUsers.SetDisabledAsync(db, id, true)).Succeeded);
        }
        var (client, _) = app.Browser("198.51.100.4");

        var counts = new List<int>();
        foreach (var user in new[] { "shijian", "no-such-user", "shijian-off" })
        {
            var before = app.Verifications.Value;
            var r = await LoginFactory.PostLoginAsync(client, user, "Wrong2026password");
            Assert.Contains("用户名或密码错误", await r.Content.ReadAsStringAsync());
            counts.Add(app.Verifications.Value - before);
        }

        Assert.Equal([1, 1, 1], counts); // same work whether the account exists, is disabled, or not
    }

    [Fact]
    public async Task Login_TooManyFailuresFromOneAddress_429InChinese_OtherAddressesStillSignIn()
    {
        await app.CreateUserAsync("pinfan");
        var (guesser, _) = app.Browser("198.51.100.5");
        // Different names each time, so the per-account lockout never starts first: the address limit is what answers.
        for (var i = 0; i < LoginFactory.AddressLimit; i++)
            Assert.Equal(HttpStatusCode.OK, (await LoginFactory.PostLoginAsync(guesser, "guess" + i, "Wrong2026password")).StatusCode);

        var refused = await LoginFactory.PostLoginAsync(guesser, "pinfan", WebAppFactory.Password);
        var (other, _) = app.Browser("198.51.100.6");
        var elsewhere = await LoginFactory.PostLoginAsync(other, "pinfan", WebAppFactory.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("尝试过于频繁，请 15 分钟后再试", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Login_AdminLockedOutByAnotherAddress_StillSignsInFromItsOwn()
    {
        await app.CreateUserAsync("juzhang", Roles.BureauAdmin);
        var (attacker, _) = app.Browser("203.0.113.7");
        for (var i = 0; i < 5; i++) await LoginFactory.PostLoginAsync(attacker, "juzhang", "Wrong2026password" + i);

        var attackerRight = await LoginFactory.PostLoginAsync(attacker, "juzhang", WebAppFactory.Password);
        var (office, _) = app.Browser("198.51.100.8");
        var officeRight = await LoginFactory.PostLoginAsync(office, "juzhang", WebAppFactory.Password);

        Assert.Equal(HttpStatusCode.OK, attackerRight.StatusCode); // locked for the guessing address, even with the right password
        Assert.Contains("登录失败次数过多，账号已锁定 15 分钟", await attackerRight.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, officeRight.StatusCode);
        Assert.Equal("/", officeRight.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ChangePassword_CommonWordWithDigits_RefusedWithReason()
    {
        var (browser, _) = await app.SignedInAsync("ruomima", "198.51.100.9");

        var change = await LoginFactory.ChangePasswordAsync(browser, "password12");

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Contains(PasswordPolicy.TooCommon, await change.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await LoginFactory.PostLoginAsync(app.Browser("198.51.100.10").Client, "ruomima", WebAppFactory.Password)).StatusCode);
    }
}
