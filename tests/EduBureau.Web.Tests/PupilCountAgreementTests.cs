using System.Globalization;
using System.Text.RegularExpressions;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Security;
using EduBureau.Core.Stats;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// Issue #15: the console, the home page and a school's header gave different 在校生 figures for one year. One
/// definition now (在校 = 在读 or 休学 in the year's roster, <see cref="Core.Students.EnrollmentQueries.InSchool"/>):
/// the home page's card equals the roster the indicator engine counts (<see cref="SnapshotLoader"/>) for the same year
/// and unit, and `edu stats` (CountStats) for that unit; a school's header equals its own rows in that roster and,
/// for a 中心校 whose account also sees its 教学点 (the 1,966 / 1,975 of the issue), labels the total its home page shows.
/// </summary>
public class PupilCountAgreementTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    private const int Year = 2026;

    [Theory]
    [InlineData("admin")]
    [InlineData("keshi")]
    [InlineData("xiangzhen")]
    [InlineData("xuexiao")]
    [InlineData("duxue")]
    public async Task HomePage_PupilCard_EqualsIndicatorRosterAndStatsForTheUnit(string user)
    {
        int roster, stats;
        await using (var sys = fx.Open())
        {
            var account = await sys.Users.Where(u => u.UserName == user).Select(u => new { u.Role, u.OrgUnitId }).SingleAsync();
            var path = await sys.OrgUnits.Where(u => u.Id == account.OrgUnitId).Select(u => u.Path).SingleAsync();
            await using var db = fx.Open(UserScope.ForUser(user, account.Role, account.OrgUnitId, path));
            roster = (await SnapshotLoader.LoadAsync(db, Year)).Pupils.Sum(p => p.Count);
            stats = (await CountStats.ForYearAsync(db, Year)).Students;
        }
        var client = await fx.LoginAsync(user);

        var home = RosterFixture.Decode(await client.GetStringAsync("/"));

        Assert.True(roster > 0, $"{user}: {roster} pupils");
        Assert.Equal(roster, stats);
        Assert.Equal(roster.ToString("N0", CultureInfo.InvariantCulture), Card(home, "在校生"));
    }

    [Fact]
    public async Task HomePage_Admin_EqualsConsoleStatsOverTheWholeDatabase()
    {
        int all;
        await using (var sys = fx.Open()) all = (await CountStats.ForYearAsync(sys, Year)).Students;
        var client = await fx.LoginAsync("admin");

        var home = RosterFixture.Decode(await client.GetStringAsync("/"));

        Assert.Equal(all.ToString("N0", CultureInfo.InvariantCulture), Card(home, "在校生"));
    }

    [Fact]
    public async Task SchoolHeader_OwnSchool_EqualsItsRowsInTheIndicatorRoster()
    {
        int roster, teachingPoints;
        await using (var sys = fx.Open())
        {
            roster = (await SnapshotLoader.LoadAsync(sys, Year)).Pupils.Where(p => p.SchoolId == fx.SchoolId).Sum(p => p.Count);
            teachingPoints = await sys.Schools.CountAsync(s => s.ParentSchoolId == fx.SchoolId);
        }
        var client = await fx.LoginAsync("xuexiao");

        var html = RosterFixture.Decode(await client.GetStringAsync($"/Schools/Detail/{fx.SchoolId}"));
        var home = RosterFixture.Decode(await client.GetStringAsync("/"));

        var shown = roster.ToString("N0", CultureInfo.InvariantCulture);
        Assert.Matches(new Regex($"<dt>在校生数</dt><dd>{Regex.Escape(shown)}</dd>"), html);
        // The demo school is a 中心校 with a 教学点: its account's home page counts both, and the header gives that total too.
        Assert.True(teachingPoints > 0);
        var total = Regex.Match(html, "<dd id=\"with-teaching-points\">([^ <]*)").Groups[1].Value;
        Assert.Equal(Card(home, "在校生"), total);
    }

    private static string Card(string html, string label) =>
        Regex.Match(html, $"<div>{label}</div><div class=\"value\">([^<]*)</div>") is { Success: true } m ? m.Groups[1].Value : $"（没有“{label}”卡片）";
}
