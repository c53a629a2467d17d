using System.Globalization;
using System.Text.Json;
using EduBureau.Core.Indicators;
using EduBureau.Core.Quality;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Cli.Tests;

/// <summary>
/// The bureau's own indicators and rules (#17 items 3 and 4) from the command line, saved through Core on TinyCounty,
/// 2025: 东镇小学 2 pupils (一年级, 三年级), 东镇中学 1 (八年级), 西乡小学 1 (二年级). By hand: 小学生占比 = 3 / 4 = 75%;
/// the rule 学生 >= 2 is broken by 东镇中学 and 西乡小学.
/// </summary>
public class CustomIndicatorCommandTests
{
    private static readonly string Year = TinyCounty.Year.ToString(CultureInfo.InvariantCulture);

    private static async Task<TestDatabase> SeedAsync(bool withRule = false)
    {
        var db = await TestDatabase.CreateAsync();
        TinyCounty c;
        await using (var ctx = db.Open()) c = await TinyCounty.SeedAsync(ctx);
        var admin = UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path);
        await using (var ctx = db.Open(admin))
        {
            var saved = await CustomIndicators.SaveAsync(ctx,
                new CustomIndicatorInput("primary_share", "小学生占比", "学生[学段=小学]", "学生", 100, "%", true, null), TimeProvider.System);
            Assert.True(saved.Succeeded, saved.Message);
            if (withRule)
            {
                var rule = await QualityRuleStore.SaveAsync(ctx, new QualityRuleInput("min_two_pupils", "在校生不足2人", "学生", ">=", "2",
                    RuleSeverity.Error, null), TimeProvider.System);
                Assert.True(rule.Succeeded, rule.Message);
            }
        }
        return db;
    }

    [Fact]
    public async Task Indicators_Code_Json_PrintsJustThatIndicator_WithTheHandComputedValue()
    {
        await using var db = await SeedAsync();

        var r = await EduCli.RunAsync("indicators", "--db", db.Options.SqliteFile!, "--year", Year, "--code", "primary_share", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var v = Assert.Single(json.RootElement.GetProperty("indicators").EnumerateArray());
        Assert.Equal("primary_share", v.GetProperty("code").GetString());
        Assert.Equal("小学生占比", v.GetProperty("name").GetString());
        Assert.Equal(75, v.GetProperty("value").GetDouble(), 9);
        Assert.Equal(3, v.GetProperty("numerator").GetDouble());
        Assert.Equal(4, v.GetProperty("denominator").GetDouble());
        Assert.Equal("%", v.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task Indicators_Code_ByTownship_EachTownshipHasJustThatIndicator()
    {
        await using var db = await SeedAsync();

        var r = await EduCli.RunAsync("indicators", "--db", db.Options.SqliteFile!, "--year", Year, "--code", "primary_share", "--by", "township", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var units = json.RootElement.GetProperty("units").EnumerateArray()
            .ToDictionary(u => u.GetProperty("name").GetString()!, u => Assert.Single(u.GetProperty("indicators").EnumerateArray()).GetProperty("value").GetDouble());
        Assert.Equal(200.0 / 3, units["东镇"], 9); // 2 of 3
        Assert.Equal(100, units["西乡"], 9);       // 1 of 1
    }

    [Fact]
    public async Task Indicators_Code_Text_OneLine()
    {
        await using var db = await SeedAsync();

        var r = await EduCli.RunAsync("indicators", "--db", db.Options.SqliteFile!, "--year", Year, "--code", "primary_share");

        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length); // the heading and the indicator
        Assert.Contains("小学生占比", lines[1]);
        Assert.Contains("75", lines[1]);
    }

    [Fact]
    public async Task Indicators_UnknownCode_FailsInChinese_ListingTheCodes()
    {
        await using var db = await SeedAsync();

        var r = await EduCli.RunAsync("indicators", "--db", db.Options.SqliteFile!, "--year", Year, "--code", "no_such_code", "--format", "json");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("未知的指标代码“no_such_code”", r.Err);
        Assert.Contains("primary_share", r.Err); // the custom one is listed
        Assert.Contains(IndicatorCatalog.LargeClassShare, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Equal("", r.Out.Trim());
    }

    [Fact]
    public async Task QualityCheck_Json_IncludesTheSavedRulesViolations()
    {
        await using var db = await SeedAsync(withRule: true);

        var r = await EduCli.RunAsync("quality", "check", "--db", db.Options.SqliteFile!, "--year", Year, "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var mine = json.RootElement.GetProperty("violations").EnumerateArray().Where(v => v.GetProperty("rule").GetString() == "min_two_pupils")
            .OrderBy(v => v.GetProperty("school").GetString(), StringComparer.Ordinal).ToList();
        Assert.Equal(["4500000002", "4500000003"], mine.Select(v => v.GetProperty("school").GetString()));
        Assert.Equal(["东镇中学", "西乡小学"], mine.Select(v => v.GetProperty("schoolName").GetString()));
        Assert.All(mine, v => Assert.Equal("error", v.GetProperty("severity").GetString()));
        Assert.Equal("东镇中学：学生 = 1，应 >= 2", mine[0].GetProperty("message").GetString());

        var text = await EduCli.RunAsync("quality", "check", "--db", db.Options.SqliteFile!, "--year", Year);
        Assert.Contains("[错误] 西乡小学：学生 = 1，应 >= 2", text.Out);
    }

    [Fact]
    public async Task QualityCheck_TownshipScope_OnlyItsSchoolsViolations()
    {
        await using var db = await SeedAsync(withRule: true);

        var r = await EduCli.RunAsync("quality", "check", "--db", db.Options.SqliteFile!, "--year", Year, "--scope", "township:东镇", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var schools = json.RootElement.GetProperty("violations").EnumerateArray().Where(v => v.GetProperty("rule").GetString() == "min_two_pupils")
            .Select(v => v.GetProperty("schoolName").GetString()).ToList();
        Assert.Equal(["东镇中学"], schools);
    }
}
