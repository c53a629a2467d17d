using System.Text.Json;
using EduBureau.Core.Schools;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Cli.Tests;

/// <summary><c>edu quality check</c> (#17 item 3, built-in rules) on TinyCounty with one school's 办学条件 missing its floor area.</summary>
public class QualityCommandTests
{
    [Fact]
    public async Task Check_Json_ListsTheNoTeachingAreaError_WithRuleSeveritySchoolAndValues()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open())
        {
            var c = await TinyCounty.SeedAsync(ctx);
            ctx.SchoolConditions.Add(new SchoolCondition
            {
                SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, TeachingArea = 0, SportsArea = 20, EquipmentValue = 0.5, CountyId = c.County.Id,
            });
            await ctx.SaveChangesAsync();
        }

        var r = await EduCli.RunAsync("quality", "check", "--db", db.Options.SqliteFile!, "--year", TinyCounty.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var error = json.RootElement.GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "no_teaching_area");
        Assert.Equal("error", error.GetProperty("severity").GetString());
        Assert.Equal("4500000001", error.GetProperty("school").GetString());
        Assert.Equal(0, error.GetProperty("values").GetProperty("teachingArea").GetDouble());

        var text = await EduCli.RunAsync("quality", "check", "--db", db.Options.SqliteFile!, "--year", TinyCounty.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("[错误] 东镇小学有在校生", text.Out);
    }
}
