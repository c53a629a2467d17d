using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Population;
using EduBureau.Core.Schools;
using EduBureau.Core.Staff;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Cli.Tests;

/// <summary>
/// TinyCounty plus, by hand: a public kindergarten in 东镇 with 3 children (小/中/大班); population 3–5 岁: 东镇 2 per age,
/// 西乡 1 per age (9 in all); 办学条件 and one teacher for the balance command. No grade-1 base year (2017), no teachers
/// at 西乡小学.
/// </summary>
public class IndicatorCommandTests
{
    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        var kg = await TinyCountyExtras.AddSchoolAsync(ctx, c.East, c.County, "4500000004", "东镇幼儿园", SchoolLevel.Kindergarten);
        TinyCounty.AddPupil(ctx, "K1", "幼一", kg, Grade.KgSmall, c.County.Id);
        TinyCounty.AddPupil(ctx, "K2", "幼二", kg, Grade.KgMiddle, c.County.Id);
        TinyCounty.AddPupil(ctx, "K3", "幼三", kg, Grade.KgLarge, c.County.Id);
        foreach (var age in new[] { 3, 4, 5 })
        {
            ctx.Population.Add(new PopulationCount { TownshipId = c.East.Id, Year = TinyCounty.Year, Age = age, Count = 2, CountyId = c.County.Id });
            ctx.Population.Add(new PopulationCount { TownshipId = c.West.Id, Year = TinyCounty.Year, Age = age, Count = 1, CountyId = c.County.Id });
        }
        // 东镇小学 (2 pupils): teaching area 10, sports 20, equipment 0.5 万元, 1 multimedia room, one 专科 county-backbone PE teacher.
        ctx.SchoolConditions.Add(new SchoolCondition
        {
            SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, TeachingArea = 10, SportsArea = 20, EquipmentValue = 0.5, MultimediaRooms = 1, CountyId = c.County.Id,
        });
        // 西乡小学 (1 pupil): teaching area 2, sports 8, equipment 0.3 万元, no multimedia room, no teacher.
        ctx.SchoolConditions.Add(new SchoolCondition
        {
            SchoolId = c.WestPrimary.Id, Year = TinyCounty.Year, TeachingArea = 2, SportsArea = 8, EquipmentValue = 0.3, MultimediaRooms = 0, CountyId = c.County.Id,
        });
        var t = new StaffMember
        {
            StaffNo = "T1", Name = "体育老师", Post = StaffPost.FullTimeTeacher, Education = EducationLevel.Associate, Subject = "体育",
            Backbone = BackboneLevel.County, BirthDate = new DateOnly(1990, 1, 1), CountyId = c.County.Id,
        };
        t.Assignments.Add(new StaffAssignment { Year = TinyCounty.Year, SchoolId = c.EastPrimary.Id, CountyId = c.County.Id });
        ctx.StaffMembers.Add(t);
        await ctx.SaveChangesAsync();
        return (db, c);
    }

    private static JsonElement Indicator(JsonDocument json, string code) =>
        json.RootElement.GetProperty("indicators").EnumerateArray().Single(e => e.GetProperty("code").GetString() == code);

    [Fact]
    public async Task Indicators_Json_HandSeededCounty_GivesValuesAndMissingReasons()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;

        var r = await EduCli.RunAsync("indicators", "--db", db.Options.SqliteFile!, "--year", "2025", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var gross = Indicator(json, "preschool_gross_enrollment_3y");
        Assert.Equal("学前三年毛入园率", gross.GetProperty("name").GetString());
        Assert.Equal(3, gross.GetProperty("numerator").GetDouble());
        Assert.Equal(9, gross.GetProperty("denominator").GetDouble());
        Assert.Equal(100.0 / 3, gross.GetProperty("value").GetDouble(), 9);
        Assert.Equal("%", gross.GetProperty("unit").GetString());
        Assert.Equal(100, Indicator(json, "public_kindergarten_share").GetProperty("value").GetDouble(), 9);
        var retention = Indicator(json, "compulsory_retention");
        Assert.Equal(JsonValueKind.Null, retention.GetProperty("value").ValueKind);
        Assert.Contains("缺少基年数据", retention.GetProperty("missing").GetString());
        Assert.Contains("2017", retention.GetProperty("missing").GetString());
        // 3 primary pupils, one teacher at 东镇小学 → 3 : 1.
        Assert.Equal(3, Indicator(json, "student_teacher_ratio_primary").GetProperty("value").GetDouble(), 9);
        // 1 junior pupil, no teacher: no made-up number.
        var junior = Indicator(json, "student_teacher_ratio_junior");
        Assert.Equal(JsonValueKind.Null, junior.GetProperty("value").ValueKind);
        Assert.Contains("专任教师数为0", junior.GetProperty("missing").GetString());
        var codes = json.RootElement.GetProperty("indicators").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ToList();
        foreach (var code in new[] { "inclusive_kindergarten_coverage", "senior_secondary_gross_enrollment", "disabled_children_enrollment", "large_class_share", "super_large_class_share" })
            Assert.Contains(code, codes);
    }

    [Fact]
    public async Task Indicators_TownshipScope_UsesOnlyThatTownship()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;

        var east = await EduCli.RunAsync("indicators", "--db", db.Options.SqliteFile!, "--year", "2025", "--scope", "township:东镇", "--format", "json");
        var west = await EduCli.RunAsync("indicators", "--db", db.Options.SqliteFile!, "--year", "2025", "--scope", "township:西乡", "--format", "json");

        Assert.Equal(0, east.ExitCode);
        using var e = JsonDocument.Parse(east.Out);
        using var w = JsonDocument.Parse(west.Out);
        Assert.Equal(50, Indicator(e, "preschool_gross_enrollment_3y").GetProperty("value").GetDouble(), 9); // 3 / 6
        Assert.Equal(0, Indicator(w, "preschool_gross_enrollment_3y").GetProperty("value").GetDouble(), 9);   // 0 / 3
        Assert.Equal(3, Indicator(w, "preschool_gross_enrollment_3y").GetProperty("denominator").GetDouble());
    }

    [Fact]
    public async Task Indicators_UnknownScope_FailsInChinese()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;

        var r = await EduCli.RunAsync("indicators", "--db", db.Options.SqliteFile!, "--year", "2025", "--scope", "township:北村", "--format", "json");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("找不到范围", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public async Task Balance_Json_HandSeededPrimary_GivesValuesFlagsAndCv()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;

        var r = await EduCli.RunAsync("balance", "--db", db.Options.SqliteFile!, "--year", "2025", "--level", "小学", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var schools = json.RootElement.GetProperty("schools").EnumerateArray().ToList();
        Assert.Equal(["东镇小学", "西乡小学"], schools.Select(s => s.GetProperty("name").GetString()));
        var east = schools[0].GetProperty("values").EnumerateArray().Select(v => v.GetProperty("value").GetDouble()).ToList();
        Assert.Equal([50, 50, 50, 5, 10, 2500, 50], east.Select(x => Math.Round(x, 9)));
        Assert.True(schools[0].GetProperty("passed").GetBoolean());
        Assert.False(schools[1].GetProperty("passed").GetBoolean());
        Assert.False(schools[1].GetProperty("values")[3].GetProperty("reached").GetBoolean());
        // 教学用房: X = 5 (P 2), 2 (P 1); mean 4; S = sqrt(2/3·1 + 1/3·4) = √2; CV = √2 / 4.
        var area = json.RootElement.GetProperty("cvs")[3];
        Assert.Equal(4, area.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(Math.Sqrt(2) / 4, area.GetProperty("cv").GetDouble(), 9);
        Assert.True(area.GetProperty("withinLimit").GetBoolean());
        // 高学历教师: X = 50 (P 2), 0 (P 1); mean 100/3; CV = √2 / 2 > 0.50.
        Assert.Equal(Math.Sqrt(2) / 2, json.RootElement.GetProperty("cvs")[0].GetProperty("cv").GetDouble(), 9);
        Assert.False(json.RootElement.GetProperty("balanced").GetBoolean());
    }

    [Fact]
    public async Task Balance_TownshipWithoutJunior_NotApplicableNotMissing()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;

        // 西乡 has 西乡小学 only: 初中优质均衡 does not apply there (was: every 差异系数 缺少数据).
        var json = await EduCli.RunAsync("balance", "--db", db.Options.SqliteFile!, "--year", "2025", "--level", "初中", "--scope", "township:西乡", "--format", "json");
        var text = await EduCli.RunAsync("balance", "--db", db.Options.SqliteFile!, "--year", "2025", "--level", "初中", "--scope", "township:西乡", "--format", "text");

        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("本单位没有初中", doc.RootElement.GetProperty("notApplicable").GetString());
        Assert.Empty(doc.RootElement.GetProperty("schools").EnumerateArray());
        Assert.Contains("不适用：本单位没有初中", text.Out);
        Assert.DoesNotContain("缺少数据", text.Out);
    }

    [Fact]
    public async Task Balance_BadLevel_FailsInChinese()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;

        var r = await EduCli.RunAsync("balance", "--db", db.Options.SqliteFile!, "--year", "2025", "--level", "高中", "--format", "json");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("无法识别的学段", r.Err);
    }
}

internal static class TinyCountyExtras
{
    public static async Task<Core.Organization.School> AddSchoolAsync(EduDbContext db, Core.Organization.OrgUnit township,
        Core.Organization.OrgUnit county, string code, string name, SchoolLevel level)
    {
        var unit = new Core.Organization.OrgUnit { Name = name, Kind = OrgUnitKind.School, Code = code };
        db.OrgUnits.Add(unit);
        await db.SaveChangesAsync();
        unit.PlaceUnder(township);
        await db.SaveChangesAsync();
        var s = new Core.Organization.School
        {
            Id = unit.Id, Code = code, Name = name, Level = level, Ownership = Ownership.Public, UrbanRural = UrbanRural.Town,
            TownshipId = township.Id, CountyId = county.Id, Path = unit.Path,
        };
        db.Schools.Add(s);
        await db.SaveChangesAsync();
        return s;
    }
}
