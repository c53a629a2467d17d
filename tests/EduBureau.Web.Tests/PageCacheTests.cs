using System.Net;
using EduBureau.Core.Common;
using EduBureau.Core.Security;
using EduBureau.Demo;
using EduBureau.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// Whole pages kept per user and data version (#16, <see cref="PageCache"/>), over real HTTP on the small demo: a kept
/// page is the page as rendered, only for the same user and cookies, gone after any change of the data, a recompute or
/// a disabled account, and never kept when the request must be audited.
/// </summary>
public sealed class PageCacheTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    private static bool Kept(HttpResponseMessage r) => r.Headers.Contains(PageCache.HitHeader);

    /// <summary>Requests <paramref name="url"/> until the answer comes kept (the first sets the antiforgery cookie, the next is stored).</summary>
    private static async Task<(string Rendered, string Kept)> UntilKeptAsync(HttpClient client, string url)
    {
        var rendered = "";
        for (var i = 0; i < 4; i++)
        {
            using var r = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var body = await r.Content.ReadAsStringAsync();
            if (Kept(r)) return (rendered, body);
            rendered = body;
        }
        Assert.Fail($"{url} was never served kept");
        return default;
    }

    [Theory]
    [InlineData("admin", "/")]
    [InlineData("admin", "/Indicators")]
    [InlineData("xiangzhen", "/Students?q=%E5%BC%A0")]
    [InlineData("xuexiao", "/Dropout")]
    [InlineData("xuexiao", "/Aid")]
    public async Task SecondRequest_ServedKept_ExactlyAsRendered(string user, string url)
    {
        var client = await fx.LoginAsync(user);
        var (rendered, kept) = await UntilKeptAsync(client, url);
        Assert.Equal(rendered, kept);
    }

    [Fact]
    public async Task APageNotMarkedKeepWhole_IsNeverKept()
    {
        var admin = await fx.LoginAsync("admin");
        for (var i = 0; i < 3; i++)
        {
            using var r = await admin.GetAsync("/Staff");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.False(Kept(r));
        }
    }

    [Fact]
    public async Task AnotherUser_NeverGetsTheFirstUsersPage()
    {
        var admin = await fx.LoginAsync("admin");
        await UntilKeptAsync(admin, "/Students?q=%E5%BC%A0");

        var school = await fx.LoginAsync("xuexiao");
        using var first = await school.GetAsync("/Students?q=%E5%BC%A0");
        var html = await first.Content.ReadAsStringAsync();
        Assert.False(Kept(first));
        Assert.Contains("xuexiao", html);
        Assert.DoesNotContain("admin（", html);
        var (_, kept) = await UntilKeptAsync(school, "/Students?q=%E5%BC%A0");
        Assert.Contains("xuexiao", kept);
    }

    [Fact]
    public async Task AChangeOfTheData_IsShownAtOnce()
    {
        var school = await fx.LoginAsync("xuexiao");
        var (_, before) = await UntilKeptAsync(school, "/Students");
        string name;
        await using (var ctx = fx.Open())
        {
            var year = await ctx.Enrollments.MaxAsync(e => e.Year);
            var pupil = await ctx.Enrollments.Where(e => e.SchoolId == fx.SchoolId && e.Year == year).OrderBy(e => e.Id).Select(e => e.Student).FirstAsync();
            name = pupil.Name + "改";
            Assert.DoesNotContain(name, before);
            pupil.Name = name;
            await ctx.SaveChangesAsync();
        }

        using var after = await school.GetAsync("/Students?q=" + Uri.EscapeDataString(name));
        Assert.False(Kept(after));
        Assert.Contains(name, await after.Content.ReadAsStringAsync());
        using var list = await school.GetAsync("/Students");
        Assert.False(Kept(list));
    }

    [Fact]
    public async Task SearchByIdNumber_OfAMaskedRole_RunsAndIsAuditedEveryTime()
    {
        string id;
        await using (var ctx = fx.Open())
            id = await ctx.Students.Where(s => s.IdNumber != null).OrderBy(s => s.Id).Select(s => s.IdNumber!).FirstAsync();
        var keshi = await fx.LoginAsync("keshi");
        var url = "/Students?q=" + id;
        for (var i = 0; i < 3; i++)
        {
            using var r = await keshi.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.False(Kept(r));
        }
        await using var db = fx.Open();
        Assert.Equal(3, await db.AuditLog.CountAsync(a => a.Action == IdSearchAudit.Action && a.UserName == "keshi"));
    }

    [Fact]
    public async Task DisabledAccount_GetsNoKeptPage()
    {
        await using (var db = fx.Open())
            await UserAccounts.CreateAsync(db, "huancun", DemoAccounts.Password, Roles.School, fx.SchoolId);
        var client = await fx.LoginAsync("huancun");
        await UntilKeptAsync(client, "/");

        await using (var db = fx.Open())
        {
            var id = await db.Users.Where(u => u.UserName == "huancun").Select(u => u.Id).SingleAsync();
            Assert.True((await ManageUsers.SetDisabledAsync(db, id, true)).Succeeded);
        }
        using var next = await client.GetAsync("/");
        Assert.False(Kept(next));
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/Account/Login", next.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Recompute_IsShownAtOnce()
    {
        var admin = await fx.LoginAsync("admin");
        await UntilKeptAsync(admin, "/Dropout");
        var year = (await admin.GetStringAsync("/Dropout")).Contains("2026–2027", StringComparison.Ordinal) ? 2026 : 2025;
        var post = await admin.PostAsync("/Figures/Recompute", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["year"] = year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Dropout"),
        }));
        // The token came from a kept copy of /Dropout (UntilKeptAsync has stored it): a kept form still posts.
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        await JobTestHelpers.WaitAsync(admin, post.Headers.Location!.ToString(), JobTestHelpers.Finished);

        using var after = await admin.GetAsync("/Dropout");
        Assert.False(Kept(after));
    }
}
