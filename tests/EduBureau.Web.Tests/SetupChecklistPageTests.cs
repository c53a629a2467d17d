using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.GoLive;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>A brand-new installation: only the placeholder root "本级教育局" and one administrator, as `edu admin create` leaves it.</summary>
public sealed class EmptyInstallFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "test2026pass";
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("Sqlite");
        await using var ctx = _db.Open();
        // The same steps as AdminCommands.ResolveUnitAsync on an empty database.
        var root = new OrgUnit { Name = SetupChecklist.PlaceholderUnitName, Kind = OrgUnitKind.County };
        ctx.OrgUnits.Add(root);
        await ctx.SaveChangesAsync();
        root.PlaceUnder(null);
        await ctx.SaveChangesAsync();
        await UserAccounts.CreateAsync(ctx, "admin", Password, Roles.BureauAdmin, root.Id);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => TestHost.UseDatabase(builder, _db.Options);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class SetupChecklistEmptyTests(EmptyInstallFactory app) : IClassFixture<EmptyInstallFactory>
{
    private static List<(int Step, string State, string Message)> Steps(string html) =>
        [.. Regex.Matches(WebUtility.HtmlDecode(html), "<tr class=\"step-(done|todo)\" data-step=\"(\\d)\">\\s*<td class=\"num\">\\d</td>\\s*<td>[^<]*</td>\\s*<td>[^<]*</td>\\s*<td>([^<]*)</td>")
            .Select(m => (int.Parse(m.Groups[2].Value), m.Groups[1].Value, m.Groups[3].Value))];

    [Fact]
    public async Task Checklist_PlaceholderRootOnly_NoStepDoneWithMessages()
    {
        var admin = await app.LoginAsync("admin", EmptyInstallFactory.Password);

        var html = await admin.GetStringAsync("/Setup/Checklist");
        var home = await admin.GetStringAsync("/");
        var steps = Steps(html);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], steps.Select(s => s.Step));
        Assert.All(steps, s => Assert.Equal("todo", s.State));
        Assert.Equal("单位名称仍为“本级教育局”，请改为本县区的名称；未填写行政区划代码；尚无乡镇", steps[0].Message);
        Assert.Equal("尚无学校", steps[1].Message);
        Assert.Equal("尚无学校和乡镇，请先完成第 1、2 步", steps[2].Message);
        Assert.Equal(["尚无学校", "尚无学校", "尚无学校", "尚无乡镇"], steps.Skip(3).Take(4).Select(s => s.Message));
        Assert.Matches("^尚无\\d{4}–\\d{4}学年工作计划$", steps[7].Message);
        Assert.Contains("href=\"/Setup/Checklist\"", home); // the home-page notice (and the nav link)
        Assert.Contains("开通尚未完成", home);
    }

    [Fact]
    public async Task SetupPage_FirstRunPage_StillAnswersAndIsClosed()
    {
        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var r = await anonymous.GetAsync("/Setup");
        var checklist = await anonymous.GetAsync("/Setup/Checklist");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("已有账号，首次设置已关闭", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, checklist.StatusCode); // to the login page
    }
}

/// <summary>
/// The demo county as <see cref="DemoFixture"/> builds it, at Size 0.15 instead of 0.04: at 0.04 the smallest schools (the
/// special school and two 教学点, about 20 pupils each at full size) round down to no pupils at all, so step 4 would
/// rightly say "3 所学校尚无…学生名册"; from about 0.1 up every school has its roster, staff and conditions every year.
/// </summary>
public sealed class GoLiveDemoFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("Sqlite");
        await EduBureau.Demo.DemoGenerator.GenerateAsync(_db.Options, DemoFixture.Settings with { Size = 0.15 });
        await using var db = Open();
        await EduBureau.Demo.DemoAccounts.EnsureAsync(db);
    }

    public EduDbContext Open() => Database.OpenSystem(_db.Options, "test");

    protected override void ConfigureWebHost(IWebHostBuilder builder) => TestHost.UseDatabase(builder, _db.Options);

    public Task<HttpClient> LoginAsync(string user) => this.LoginAsync(user, EduBureau.Demo.DemoAccounts.Password);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>On the demo county, as the demo builds it (accounts for every school and township included), every step is done.</summary>
public sealed class SetupChecklistDemoTests(GoLiveDemoFixture fx) : IClassFixture<GoLiveDemoFixture>
{
    private static List<(int Step, string State, string Message)> Steps(string html) =>
        [.. Regex.Matches(WebUtility.HtmlDecode(html), "<tr class=\"step-(done|todo)\" data-step=\"(\\d)\">\\s*<td class=\"num\">\\d</td>\\s*<td>[^<]*</td>\\s*<td>[^<]*</td>\\s*<td>([^<]*)</td>")
            .Select(m => (int.Parse(m.Groups[2].Value), m.Groups[1].Value, m.Groups[3].Value))];

    [Fact]
    public async Task Checklist_DemoCounty_AllEightDone()
    {
        var admin = await fx.LoginAsync("admin");

        var html = await admin.GetStringAsync("/Setup/Checklist");
        var home = await admin.GetStringAsync("/");
        var steps = Steps(html);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], steps.Select(s => s.Step));
        Assert.All(steps, s => Assert.True(s.State == "done", $"{s.Step}: {s.Message}"));
        Assert.Contains("8 / 8", html);
        Assert.DoesNotContain("开通尚未完成", home);
    }

    [Fact]
    public async Task Checklist_NonAdminRoles_Forbidden()
    {
        foreach (var user in new[] { "keshi", "xiangzhen", "xuexiao", "duxue" })
        {
            var client = await fx.LoginAsync(user);
            var r = await client.GetAsync("/Setup/Checklist");
            var home = await client.GetStringAsync("/");
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.DoesNotContain("/Setup/Checklist", home);
        }
    }
}
