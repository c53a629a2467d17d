using System.Text.RegularExpressions;
using EduBureau.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// Issue #15 on the demo county through real HTTP: an indicator that does not apply to the user's unit shows 不适用 and
/// is never red; "缺少数据" is said once; a township's 需要关注 lists only its own schools' tasks.
/// </summary>
public sealed class IndicatorApplicabilityPageTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    private static readonly SchoolLevel[] HighSchoolLevels = [SchoolLevel.Senior, SchoolLevel.Complete, SchoolLevel.TwelveYear, SchoolLevel.Vocational];

    /// <summary>The home page card of one indicator (from its opening tag to the next card or section).</summary>
    private static (string Css, string Html) Card(string html, string code)
    {
        var m = Regex.Match(html, $"<div class=\"card ([a-z]*)\" data-code=\"{code}\">(.*?)(?=<div class=\"card|<h2>)", RegexOptions.Singleline);
        Assert.True(m.Success, $"no card {code}");
        return (m.Groups[1].Value, m.Groups[2].Value);
    }

    /// <summary>The card says 不适用 with <paramref name="reason"/>, is not coloured and not 未达标.</summary>
    private static void AssertNotApplicableCard(string html, string code, string reason)
    {
        var (css, card) = Card(html, code);
        Assert.Equal("na", css);
        Assert.Contains("不适用", card);
        Assert.Contains(reason, card);
        Assert.DoesNotContain("未达标", card);
        Assert.DoesNotContain("0.0%", card);
    }

    [Fact]
    public async Task Dashboard_TownshipWithoutHighSchool_SeniorGrossNotApplicableNotRed()
    {
        await using (var db = fx.Open())
            Assert.False(await db.Schools.AnyAsync(s => s.TownshipId == fx.TownshipId && HighSchoolLevels.Contains(s.Level)));
        var client = await fx.LoginAsync("xiangzhen");

        var home = await client.GetStringAsync("/");
        var list = await client.GetStringAsync("/Indicators");

        AssertNotApplicableCard(home, "senior_secondary_gross_enrollment", "本单位没有高中阶段学校和在校生");
        var row = Regex.Match(list, "<tr data-code=\"senior_secondary_gross_enrollment\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.Contains("不适用", row.Value);
    }

    [Fact]
    public async Task Dashboard_PrimarySchool_RetentionNotApplicable()
    {
        await using (var db = fx.Open())
            Assert.Equal(SchoolLevel.Primary, await db.Schools.Where(s => s.Id == fx.SchoolId).Select(s => s.Level).SingleAsync());
        var client = await fx.LoginAsync("xuexiao");

        var home = await client.GetStringAsync("/");

        AssertNotApplicableCard(home, "compulsory_retention", "本单位没有初中（九年级）");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("xiangzhen")]
    [InlineData("xuexiao")]
    public async Task Pages_AnyRole_MissingDataSaidOnce(string user)
    {
        var client = await fx.LoginAsync(user);

        foreach (var url in new[] { "/", "/Indicators", "/Indicators/Detail?code=public_kindergarten_share&by=School", "/Indicators/Detail?code=large_class_share&by=School" })
        {
            var html = await client.GetStringAsync(url);
            Assert.DoesNotContain("缺少数据：缺少", html);
        }
    }

    [Fact]
    public async Task DetailBySchool_KindergartensAndHighSchools_LargeClassNotApplicable()
    {
        List<string> codes;
        await using (var db = fx.Open())
            codes = await db.Schools.Where(s => s.Level == SchoolLevel.Kindergarten || s.Level == SchoolLevel.Senior || s.Level == SchoolLevel.Vocational)
                .Select(s => s.Code).ToListAsync();
        Assert.NotEmpty(codes);
        var client = await fx.LoginAsync("keshi");

        var html = await client.GetStringAsync("/Indicators/Detail?code=large_class_share&by=School");

        foreach (var code in codes)
        {
            var row = Regex.Match(html, $"<tr data-unit=\"{code}\">(.*?)</tr>", RegexOptions.Singleline);
            Assert.True(row.Success, code);
            Assert.Contains("不适用", row.Value);
            Assert.DoesNotContain("缺少", row.Value);
            Assert.DoesNotContain("class=\"red\"", row.Value);
        }
    }

    [Fact]
    public async Task Dashboard_Township_AttentionListsOnlyItsOwnSchoolsTasks()
    {
        List<string> ownSchools;
        await using (var db = fx.Open())
            ownSchools = await db.Schools.Where(s => s.TownshipId == fx.TownshipId).Select(s => s.Name).ToListAsync();
        static List<string> Owners(string html) =>
            Regex.Matches(html, "<tr class=\"overdue\"><td>.*?</td><td>(.*?)</td>").Select(m => m.Groups[1].Value).ToList();
        var county = Owners(await (await fx.LoginAsync("keshi")).GetStringAsync("/"));

        var township = Owners(await (await fx.LoginAsync("xiangzhen")).GetStringAsync("/"));

        // The county's list has tasks of 科室 and other townships' schools; the township sees none of them.
        Assert.Contains(county, o => !ownSchools.Contains(o));
        Assert.All(township, o => Assert.Contains(o, ownSchools));
        Assert.Equal(county.Count(ownSchools.Contains), township.Count);
    }
}
