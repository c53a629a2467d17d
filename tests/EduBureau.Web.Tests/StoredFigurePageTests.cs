using System.Net;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Figures;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// Pages served from stored figures (#16, ADR 0012), over real HTTP on the small demo: each says when its figures were
/// computed, the 局管理员 may recompute them as a job, and a change of one pupil shows on the school's own page.
/// </summary>
public sealed class StoredFigurePageTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    [Fact]
    public async Task EveryFigurePage_SaysWhenComputed_OnlyTheAdminMayRecompute()
    {
        var admin = await fx.LoginAsync("admin");
        var school = await fx.LoginAsync("xuexiao");
        int exam;
        await using (var ctx = fx.Open()) exam = await ctx.Set<Core.Exams.Exam>().MaxAsync(e => e.Id);
        foreach (var url in new[] { "/", "/Indicators", "/Indicators/Detail?code=large_class_share", "/Indicators/Balance", "/Dropout", "/Aid", $"/Exams/Overview?id={exam}" })
        {
            var html = await admin.GetStringAsync(url);
            Assert.True(html.Contains("统计结果计算于", StringComparison.Ordinal), $"{url}: no computed time for the admin");
            Assert.Contains("重新计算</button>", html);
        }
        foreach (var url in new[] { "/", "/Indicators", "/Dropout", "/Aid" })
        {
            var html = await school.GetStringAsync(url);
            Assert.True(html.Contains("统计结果计算于", StringComparison.Ordinal), $"{url}: no computed time for the school");
            Assert.DoesNotContain("重新计算</button>", html);
        }

        var post = await school.PostAsync("/Figures/Recompute", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["year"] = "2026", ["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(school, "/Dropout"),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    [Fact]
    public async Task AdminRecompute_RunsAsAJob_AndTheStoredRowsCarryTheAdmin()
    {
        var admin = await fx.LoginAsync("admin");
        var year = (await admin.GetStringAsync("/Dropout")).Contains("2026–2027", StringComparison.Ordinal) ? 2026 : 2025;
        var post = await admin.PostAsync("/Figures/Recompute", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["year"] = year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Dropout"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var url = post.Headers.Location!.ToString();
        Assert.StartsWith("/Jobs/Result?id=", url, StringComparison.Ordinal);
        var html = await JobTestHelpers.WaitAsync(admin, url, JobTestHelpers.Finished);
        Assert.Contains("的统计结果已重新计算", html);

        await using var ctx = fx.Open();
        var rows = await ctx.Set<StoredFigure>().Where(f => f.Year == year).Select(f => new { f.Kind, f.ComputedBy }).ToListAsync();
        Assert.Equal(FigureCatalog.All.Select(k => k.Code).Order(), rows.Select(r => r.Kind).Order());
        Assert.All(rows, r => Assert.Equal("admin", r.ComputedBy));
    }

    [Fact]
    public async Task APupilDroppingOut_ShowsOnItsSchoolsPage_AfterTheChange()
    {
        var school = await fx.LoginAsync("xuexiao");
        var before = await school.GetStringAsync("/Dropout");
        int year;
        string name;
        await using (var ctx = fx.Open())
        {
            year = await ctx.Enrollments.MaxAsync(e => e.Year);
            var names = await ctx.Enrollments.Where(e => e.SchoolId == fx.SchoolId && e.Year == year && e.Status == EnrollmentStatus.InSchool)
                .OrderBy(e => e.Id).Select(e => new { e.Id, e.Student.Name }).ToListAsync();
            var pick = names.First(n => !before.Contains(n.Name, StringComparison.Ordinal));
            name = pick.Name;
            var e = await ctx.Enrollments.SingleAsync(x => x.Id == pick.Id);
            e.Status = EnrollmentStatus.DroppedOut;
            await ctx.SaveChangesAsync();
        }

        var after = await school.GetStringAsync("/Dropout");
        Assert.Contains(name, after);
        Assert.Contains("学籍状态为辍学", after);
    }
}
