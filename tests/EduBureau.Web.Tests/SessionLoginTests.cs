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
/// The app over <see cref="TinyCounty"/> with two test hooks: the client address comes from the X-Test-Client header
/// (TestServer has none), and every password verification is counted (<see cref="CountingHasher"/>).
/// The address throttle is lowered to 8 failures so the test stays short.
/// </summary>
public sealed class LoginFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ClientHeader = "X-Test-Client";
    public const int AddressLimit = 8;
    private TestDatabase _db = null!;
    public TinyCounty County { get; private set; } = null!;
    public DatabaseOptions Database => _db.Options;
    public CountingHasher.Counter Verifications { get; } = new();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("Sqlite");
        await using var ctx = _db.Open();
        County = await TinyCounty.SeedAsync(ctx);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        TestHost.UseDatabase(builder, _db.Options);
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
        await using var db = Core.Data.Database.Open(Database);
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

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
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

    [Fact]
    public async Task Logout_CopiedCookie_IsRefusedOnApiAndExport()
    {
        await app.CreateUserAsync("huihua1");
        var (browser, cookies) = app.Browser("198.51.100.1");
        Assert.Equal(HttpStatusCode.Redirect, (await LoginFactory.PostLoginAsync(browser, "huihua1", WebAppFactory.Password)).StatusCode);
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
        await app.CreateUserAsync("huihua2");
        var (browser, cookies) = app.Browser("198.51.100.2");
        await LoginFactory.PostLoginAsync(browser, "huihua2", WebAppFactory.Password);
        var copy = Attacker(Stolen(cookies));

        var token = await WebAppFactory.AntiforgeryTokenAsync(browser, "/Account/ChangePassword");
        var change = await browser.PostAsync("/Account/ChangePassword", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CurrentPassword"] = WebAppFactory.Password, ["NewPassword"] = "Lijiang2026river", ["ConfirmPassword"] = "Lijiang2026river",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/students")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/Students?handler=Export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/students")).StatusCode);
    }

    [Fact]
    public async Task ResetByAdmin_CopiedCookie_IsRefused()
    {
        await app.CreateUserAsync("huihua3");
        var (browser, cookies) = app.Browser("198.51.100.3");
        await LoginFactory.PostLoginAsync(browser, "huihua3", WebAppFactory.Password);
        var copy = Attacker(Stolen(cookies));

        await using (var db = Database.Open(app.Database))
        {
            var id = await db.Users.Where(u => u.UserName == "huihua3").Select(u => u.Id).SingleAsync();
            Assert.True((await ManageUsers.ResetPasswordAsync(db, id)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/students")).StatusCode);
    }

    [Fact]
    public async Task Login_UnknownDisabledOrExistingUser_EachVerifiesOnePasswordHash()
    {
        await app.CreateUserAsync("shijian");
        await app.CreateUserAsync("shijian-off");
        await using (var db = Database.Open(app.Database))
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
        await app.CreateUserAsync("ruomima");
        var (browser, _) = app.Browser("198.51.100.9");
        await LoginFactory.PostLoginAsync(browser, "ruomima", WebAppFactory.Password);

        var token = await WebAppFactory.AntiforgeryTokenAsync(browser, "/Account/ChangePassword");
        var change = await browser.PostAsync("/Account/ChangePassword", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CurrentPassword"] = WebAppFactory.Password, ["NewPassword"] = "password12", ["ConfirmPassword"] = "password12",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Contains(PasswordPolicy.TooCommon, await change.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await LoginFactory.PostLoginAsync(app.Browser("198.51.100.10").Client, "ruomima", WebAppFactory.Password)).StatusCode);
    }
}
