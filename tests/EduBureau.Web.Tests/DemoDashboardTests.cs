using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Plans;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>A tiny two-county demo city (size 0.02): the demo's work plans populate the dashboard, and the city ranks its counties.</summary>
public sealed class DemoCityFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase _db = null!;
    public DatabaseOptions Database => _db.Options;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("Sqlite");
        await DemoGenerator.GenerateAsync(_db.Options, new DemoSettings(Scale: 2, Size: 0.02));
        await using var ctx = _db.Open();
        var city = await ctx.OrgUnits.SingleAsync(u => u.Kind == OrgUnitKind.City);
        var county = await ctx.OrgUnits.OrderBy(u => u.Path).FirstAsync(u => u.Kind == OrgUnitKind.County);
        await UserAccounts.CreateAsync(ctx, "city", WebAppFactory.Password, Roles.Department, city.Id);
        await UserAccounts.CreateAsync(ctx, "county", WebAppFactory.Password, Roles.Department, county.Id);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => TestHost.UseDatabase(builder, _db.Options);

    public Task<HttpClient> LoginAsync(string user) => this.LoginAsync(user, WebAppFactory.Password);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public class DemoDashboardTests(DemoCityFactory app) : IClassFixture<DemoCityFactory>
{
    [Fact]
    public async Task Demo_WritesPlanPerCountyAndCity_WithOverdueTasksAndTargets()
    {
        await using var ctx = Database.OpenSystem(app.Database, "test");

        var plans = await ctx.Set<WorkPlan>().Where(p => p.Year == 2026).CountAsync();
        var goals = await ctx.Set<PlanGoal>().CountAsync(g => g.IndicatorCode != null);
        var perArea = await ctx.Set<PlanGoalTarget>().CountAsync(t => t.UrbanRural != null);
        var tasks = await ctx.Set<PlanTask>().ToListAsync();

        Assert.Equal(3, plans);                                   // 2 counties + the city
        Assert.True(goals >= 3 * 10, $"{goals} indicator goals");
        Assert.True(perArea > 0);
        // Overdue on 2026-11-24 (deadline passed, not done) exist, and not every task is overdue.
        var overdue = tasks.Count(t => t.IsOverdue(new DateOnly(2026, 11, 24)));
        Assert.InRange(overdue, 1, tasks.Count - 1);
    }

    [Fact]
    public async Task Dashboard_County_ShowsPlanTargetsWithStatesAndTrend()
    {
        var client = await app.LoginAsync("county");

        var html = await client.GetStringAsync("/");

        Assert.Contains("目标完成情况", html);
        Assert.Contains("2026年教育工作计划", html);
        var cards = Regex.Matches(html, "<div class=\"card (red|amber|green|)\" data-code=\"([a-z0-9_]+)\"");
        Assert.True(cards.Count >= 10, $"{cards.Count} cards");
        Assert.Contains(cards, m => m.Groups[2].Value == "preschool_gross_enrollment_3y");
        Assert.Contains("<polyline", html);                       // three demo years: a trend line
        Assert.DoesNotContain("各县区排名", html);                  // a county does not rank counties
    }

    [Fact]
    public async Task Dashboard_City_RanksItsTwoCountiesPerTarget()
    {
        var client = await app.LoginAsync("city");

        var html = await client.GetStringAsync("/");

        Assert.Contains("各县区排名", html);
        Assert.Contains("演示市2026年教育工作计划", html);
        var table = Regex.Match(html, "<h3>学前三年毛入园率</h3>\\s*<div class=\"table-scroll\"><table class=\"grid\">(.*?)</table>", RegexOptions.Singleline);
        Assert.True(table.Success);
        Assert.Equal(2, Regex.Matches(table.Value, "<tr><td class=\"num\">").Count);
    }
}
