using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Stats;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>The app in demo mode over an empty database: it generates a small 演示县 on start and creates the demo accounts.</summary>
public sealed class DemoModeFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync() => Db = await TestDatabase.CreateAsync("Sqlite", migrate: false);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Default", Db.Options.ConnectionString);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Size", "0.03");
        builder.UseEnvironment("Testing");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Db.DisposeAsync();
    }
}

public sealed class DemoModeTests(DemoModeFactory app) : IClassFixture<DemoModeFactory>
{
    [Fact]
    public async Task DemoMode_AdminHomePage_ShowsTheSameCountsAsCountStats()
    {
        var client = await LoginAsync("admin");

        var cards = await CardsAsync(client);

        await using var ctx = app.Db.Open();
        var expected = await CountStats.ForYearAsync(ctx, 2026);
        Assert.Equal([expected.Schools, expected.Classes, expected.Students, expected.Staff], cards);
        Assert.True(expected.Schools > 60);
    }

    [Fact]
    public async Task DemoMode_SchoolAccount_SeesItsSchoolAndItsTeachingPointsOnly()
    {
        var client = await LoginAsync("xuexiao");

        var cards = await CardsAsync(client);

        // The demo school account is a rural 中心小学: a 教学点 belongs to its 中心校, so it sees those too.
        await using var ctx = app.Db.Open();
        var user = await ctx.Users.SingleAsync(u => u.UserName == "xuexiao");
        var own = await ctx.Schools.SingleAsync(s => s.Id == user.OrgUnitId);
        var visible = await ctx.Schools.Where(s => s.Path.StartsWith(own.Path)).Select(s => s.Id).ToListAsync();
        var inSchool = await ctx.Enrollments.CountAsync(e => e.Year == 2026 && visible.Contains(e.SchoolId)
            && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended));
        Assert.Equal(visible.Count, cards[0]);
        Assert.True(visible.Count < 5);
        Assert.Equal(inSchool, cards[2]);
    }

    [Fact]
    public async Task DemoMode_TownshipAccount_SeesTheSchoolsOfItsTownship()
    {
        var client = await LoginAsync("xiangzhen");

        var cards = await CardsAsync(client);

        await using var ctx = app.Db.Open();
        var user = await ctx.Users.SingleAsync(u => u.UserName == "xiangzhen");
        Assert.Equal(await ctx.Schools.CountAsync(s => s.TownshipId == user.OrgUnitId), cards[0]);
        Assert.InRange(cards[0], 3, 10);
    }

    private Task<HttpClient> LoginAsync(string user) => app.LoginAsync(user, DemoAccounts.Password);

    /// <summary>The four count cards of the home page, found by their labels: 学校, 班级, 在校生, 教职工.</summary>
    private static async Task<int[]> CardsAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/");
        return [.. new[] { "学校", "班级", "在校生", "教职工" }.Select(label =>
        {
            var m = Regex.Match(html, $"<div>{label}</div><div class=\"value\">([\\d,]+)</div>"); // 59,230: thousands separators (#15)
            Assert.True(m.Success, $"首页没有“{label}”卡片");
            return int.Parse(m.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        })];
    }
}
