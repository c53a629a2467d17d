using System.Net;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>The app on a given database (SQLite or PostgreSQL), demo mode on or off; started by the first client.</summary>
public sealed class DatabaseHostFactory(DatabaseOptions db, bool demo = false) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Default", db.ConnectionString);
        builder.UseSetting("Database:Provider", db.Provider.ToString());
        builder.UseSetting("Demo:Enabled", demo ? "true" : "false");
        builder.UseSetting("Demo:Size", "0.01");
        builder.UseEnvironment("Testing");
    }
}

public sealed class SetupAndDemoGuardTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Setup_SixConcurrentPosts_OneAdministratorAndOneRootUnit(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new DatabaseHostFactory(db.Options);
        var forms = new List<(HttpClient Client, string Token)>();
        for (var i = 0; i < 6; i++)
        {
            var client = app.CreateClient(new() { AllowAutoRedirect = false });
            forms.Add((client, await WebAppFactory.AntiforgeryTokenAsync(client, "/Setup")));
        }

        var responses = await Task.WhenAll(forms.Select((f, i) => f.Client.PostAsync("/Setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UnitName"] = $"第{i}县教育局", ["UserName"] = $"chief{i}", ["Password"] = "Guilin2026hills", ["__RequestVerificationToken"] = f.Token,
        }))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Redirect))
            Assert.Contains(FirstRun.AlreadyDone, await r.Content.ReadAsStringAsync());
        await using var check = db.Open();
        Assert.Equal(1, await check.Users.CountAsync());
        Assert.Equal(1, await check.OrgUnits.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task FirstRun_SixConcurrentCallsWithoutTheWeb_OneAdministrator(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            FirstRun.CreateAdministratorAsync(db.Options, $"第{i}县教育局", $"chief{i}", "Guilin2026hills"))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(FirstRun.AlreadyDone, r.Message));
        await using var check = db.Open();
        Assert.Equal(1, await check.Users.CountAsync());
        Assert.Equal(1, await check.OrgUnits.CountAsync());
    }

    [Fact]
    public async Task DemoMode_DatabaseWithRealData_RefusesToStartAndAddsNoAccount()
    {
        await using var db = await TestDatabase.CreateAsync("Sqlite");
        await using (var ctx = db.Open())
        {
            var county = await TinyCounty.SeedAsync(ctx);
            await UserAccounts.CreateAsync(ctx, "chief", "Guilin2026hills", Roles.BureauAdmin, county.County.Id);
        }
        await using var app = new DatabaseHostFactory(db.Options, demo: true);

        var start = Record.Exception(() => app.CreateClient());

        Assert.NotNull(start);
        await using var check = db.Open();
        Assert.Equal(["chief"], await check.Users.Select(u => u.UserName!).ToListAsync());
    }

    [Fact]
    public async Task DemoMode_AfterFirstRunSetupOnly_RefusesToStart()
    {
        await using var db = await TestDatabase.CreateAsync("Sqlite");
        Assert.True((await FirstRun.CreateAdministratorAsync(db.Options, "某县教育局", "chief", "Guilin2026hills")).Succeeded);
        await using var app = new DatabaseHostFactory(db.Options, demo: true);

        Assert.NotNull(Record.Exception(() => app.CreateClient()));
        await using var check = db.Open();
        Assert.Equal(0, await check.Schools.CountAsync());
        Assert.Equal(1, await check.Users.CountAsync());
        await using var ctx = db.Open();
        Assert.Contains("已有正式数据（最上级单位“某县教育局”）", await DemoGuard.WhyNotAsync(ctx));
    }

    [Fact]
    public async Task DemoMode_EmptyThenItsOwnDatabase_StartsBothTimes()
    {
        await using var db = await TestDatabase.CreateAsync("Sqlite", migrate: false);
        await using (var first = new DatabaseHostFactory(db.Options, demo: true))
            Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync("/health")).StatusCode);

        await using var second = new DatabaseHostFactory(db.Options, demo: true);
        var again = await second.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await using var check = db.Open();
        Assert.Equal(1, await check.Users.CountAsync(u => u.UserName == "admin"));
    }
}
