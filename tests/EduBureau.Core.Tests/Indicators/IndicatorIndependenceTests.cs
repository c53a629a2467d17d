using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Indicators.IndicatorCatalog;

namespace EduBureau.Core.Tests.Indicators;

/// <summary>
/// The engine (loader + pure computation) against an independent computation on the same seeded county:
/// hand-written SQL over the raw tables, or LINQ over whole entities, each written without the engine's code.
/// </summary>
public sealed class IndicatorIndependenceTests(SeededCountyFixture fixture) : IClassFixture<SeededCountyFixture>
{
    private const int Y = SeededCounty.Year;

    private static async Task<double> ScalarAsync(EduDbContext db, string sql)
    {
        var conn = db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync();
        await using DbCommand cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToDouble(await cmd.ExecuteScalarAsync());
    }

    private static IndicatorValue Get(IReadOnlyList<IndicatorValue> v, string code) => v.Single(x => x.Code == code);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Compute_SeededCounty_MatchesHandWrittenSql(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using (var seed = tdb.Open()) await SeededCounty.SeedAsync(seed);
        await using var db = tdb.Open();

        var v = IndicatorEngine.Compute(await SnapshotLoader.LoadAsync(db, Y));

        const string inSchool = "\"Status\" IN (1, 2)";
        var kg = await ScalarAsync(db, $"SELECT COUNT(*) FROM \"Enrollments\" WHERE \"Year\" = {Y} AND {inSchool} AND \"Grade\" IN (1, 2, 3)");
        var pop35 = await ScalarAsync(db, $"SELECT SUM(\"Count\") FROM \"Population\" WHERE \"Year\" = {Y} AND \"Age\" BETWEEN 3 AND 5");
        Assert.True(kg > 0 && pop35 > 0);
        Assert.Equal(kg / pop35 * 100, Get(v, PreschoolGross3y).Value!.Value, 9);

        var publicKg = await ScalarAsync(db, $"""
            SELECT COUNT(*) FROM "Enrollments" e JOIN "Schools" s ON s."Id" = e."SchoolId"
            WHERE e."Year" = {Y} AND e.{inSchool} AND e."Grade" IN (1, 2, 3) AND s."Ownership" = 1
            """);
        Assert.Equal(publicKg / kg * 100, Get(v, PublicKindergartenShare).Value!.Value, 9);

        var sizes = $"""
            SELECT "ClassId", COUNT(*) AS n FROM "Enrollments"
            WHERE "Year" = {Y} AND {inSchool} AND "Grade" BETWEEN 11 AND 19 AND "ClassId" IS NOT NULL GROUP BY "ClassId"
            """;
        var allClasses = await ScalarAsync(db, $"SELECT COUNT(*) FROM ({sizes}) c");
        var large = await ScalarAsync(db, $"SELECT COUNT(*) FROM ({sizes}) c WHERE n >= 56");
        var superLarge = await ScalarAsync(db, $"SELECT COUNT(*) FROM ({sizes}) c WHERE n >= 66");
        Assert.True(large > 0);
        Assert.Equal(large / allClasses * 100, Get(v, LargeClassShare).Value!.Value, 9);
        Assert.Equal(superLarge / allClasses * 100, Get(v, SuperLargeClassShare).Value!.Value, 9);

        // 巩固率: 九年级 now / 一年级 2017, per school from the roster where it has one, else 历年在校生.
        var g9 = await ScalarAsync(db, $"SELECT COUNT(*) FROM \"Enrollments\" WHERE \"Year\" = {Y} AND {inSchool} AND \"Grade\" = 19");
        var g1 = await ScalarAsync(db, $"""
            SELECT (SELECT COUNT(*) FROM "Enrollments" WHERE "Year" = {Y - 8} AND "Grade" = 11 AND {inSchool})
                 + (SELECT COALESCE(SUM(h."Enrolled"), 0) FROM "HistoricalEnrollments" h WHERE h."Year" = {Y - 8} AND h."Grade" = 11
                    AND NOT EXISTS (SELECT 1 FROM "Enrollments" e WHERE e."Year" = {Y - 8} AND e."Grade" = 11 AND e.{inSchool} AND e."SchoolId" = h."SchoolId"))
            """);
        Assert.Equal(g9 / g1 * 100, Get(v, CompulsoryRetention).Value!.Value, 9);

        var senior = await ScalarAsync(db, $"SELECT COUNT(*) FROM \"Enrollments\" WHERE \"Year\" = {Y} AND {inSchool} AND \"Grade\" >= 21");
        var pop1517 = await ScalarAsync(db, $"SELECT SUM(\"Count\") FROM \"Population\" WHERE \"Year\" = {Y} AND \"Age\" BETWEEN 15 AND 17");
        Assert.Equal(senior / pop1517 * 100, Get(v, SeniorSecondaryGross).Value!.Value, 9);
    }

    [Fact]
    public async Task Compute_SeededCounty_MatchesLinqOverEntities()
    {
        await using var db = fixture.Database.Open();
        var v = IndicatorEngine.Compute(await SnapshotLoader.LoadAsync(db, Y));

        var enrollments = await db.Enrollments.Include(e => e.Student).Include(e => e.School).Where(e => e.Year == Y).ToListAsync();
        var inSchool = enrollments.Where(e => e.IsInSchool).ToList();

        // 残疾儿童: ages by calendar arithmetic on DateTime, three categories spelled out.
        var countDate = new DateTime(Y, 9, 1);
        int Age(DateOnly b) { var d = b.ToDateTime(TimeOnly.MinValue); var a = countDate.Year - d.Year; return d.AddYears(a) > countDate ? a - 1 : a; }
        var disabledIn = inSchool.Count(e => e.Student.Disability is DisabilityType.Visual or DisabilityType.Hearing or DisabilityType.Speech
            or DisabilityType.Intellectual && Age(e.Student.BirthDate) is >= 6 and <= 14);
        var disabledPop = await db.Population.Where(p => p.Year == Y && p.Age >= 6 && p.Age <= 14).SumAsync(p => p.DisabledCount ?? 0);
        Assert.True(disabledIn > 0);
        Assert.Equal(100.0 * disabledIn / disabledPop, Get(v, DisabledChildrenEnrollment).Value!.Value, 9);

        // 生师比: teachers of each school split by weighted pupils (小学 1, 初中 1.1) written out per school.
        var teachers = await db.StaffAssignments.Include(a => a.Staff).Where(a => a.Year == Y && a.Staff.Post == StaffPost.FullTimeTeacher)
            .ToListAsync();
        double primaryTeachers = 0, juniorTeachers = 0;
        foreach (var school in await db.Schools.ToListAsync())
        {
            var t = teachers.Count(a => a.SchoolId == school.Id);
            var p = inSchool.Count(e => e.SchoolId == school.Id && e.Grade >= Grade.G1 && e.Grade <= Grade.G6);
            var j = inSchool.Count(e => e.SchoolId == school.Id && e.Grade >= Grade.G7 && e.Grade <= Grade.G9);
            if (school.Level is SchoolLevel.Primary or SchoolLevel.TeachingPoint) primaryTeachers += t;
            else if (school.Level == SchoolLevel.Junior) juniorTeachers += t;
            else if (school.Level == SchoolLevel.NineYear)
            {
                primaryTeachers += t * p / (p + 1.1 * j);
                juniorTeachers += t * 1.1 * j / (p + 1.1 * j);
            }
        }
        var primaryPupils = inSchool.Count(e => e.Grade >= Grade.G1 && e.Grade <= Grade.G6);
        var juniorPupils = inSchool.Count(e => e.Grade >= Grade.G7 && e.Grade <= Grade.G9);
        Assert.Equal(primaryPupils / primaryTeachers, Get(v, StudentTeacherPrimary).Value!.Value, 9);
        Assert.Equal(juniorPupils / juniorTeachers, Get(v, StudentTeacherJunior).Value!.Value, 9);

        // 普惠: 公办 or 民办普惠 kindergartens' pupils over all kindergarten-grade pupils.
        var kg = inSchool.Where(e => e.Grade <= Grade.KgLarge).ToList();
        Assert.Equal(100.0 * kg.Count(e => e.School.Ownership == Ownership.Public || e.School.Inclusive) / kg.Count,
            Get(v, InclusiveKindergartenCoverage).Value!.Value, 9);
    }

    [Fact]
    public async Task Balance_SeededCounty_EquipmentMeanIsCountyTotalOverPupils()
    {
        await using var db = fixture.Database.Open();

        var r = BalanceEngine.Compute(await SnapshotLoader.LoadAsync(db, Y), Stage.Primary);

        // Independent: county 元 of equipment attributed to 小学 over 小学 pupils (schools with conditions, 教学点 < 50 left out).
        var inSchool = await db.Enrollments.Where(e => e.Year == Y && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended))
            .Select(e => new { e.SchoolId, e.Grade }).ToListAsync();
        var conditions = await db.SchoolConditions.Where(c => c.Year == Y).ToDictionaryAsync(c => c.SchoolId);
        double money = 0, pupils = 0;
        var perSchool = new List<(double P, double X)>();
        foreach (var s in await db.Schools.Where(s => s.Level == SchoolLevel.Primary || s.Level == SchoolLevel.NineYear || s.Level == SchoolLevel.TeachingPoint).ToListAsync())
        {
            double p = inSchool.Count(e => e.SchoolId == s.Id && e.Grade >= Grade.G1 && e.Grade <= Grade.G6);
            double j = inSchool.Count(e => e.SchoolId == s.Id && e.Grade >= Grade.G7 && e.Grade <= Grade.G9);
            if (p == 0 || (s.Level == SchoolLevel.TeachingPoint && p < 50) || !conditions.TryGetValue(s.Id, out var c)) continue;
            var share = s.Level == SchoolLevel.NineYear ? p / (p + 1.1 * j) : 1;
            money += c.EquipmentValue * 10000 * share;
            pupils += p;
            perSchool.Add((p, c.EquipmentValue * 10000 * share / p));
        }
        var mean = money / pupils;
        var variance = perSchool.Sum(x => x.P / pupils * (x.X - mean) * (x.X - mean));
        Assert.Equal(mean, r.Cvs[5].Mean!.Value, 6);
        Assert.Equal(Math.Sqrt(variance) / mean, r.Cvs[5].Cv!.Value, 9);
        Assert.Single(r.Excluded); // the 教学点 has at most 11 pupils
    }

    [Fact]
    public async Task Load_TownshipScope_EqualsTownshipBreakdownOfCounty()
    {
        var town = fixture.County.Townships[1];
        await using var all = fixture.Database.Open();
        await using var scoped = fixture.Database.Open(UserScope.ForUser("t", Roles.Township, town.Id, town.Path));

        var breakdown = IndicatorEngine.ComputeBreakdown(await SnapshotLoader.LoadAsync(all, Y), Breakdown.Township).Single(g => g.Name == town.Name);
        var own = IndicatorEngine.Compute(await SnapshotLoader.LoadAsync(scoped, Y));

        Assert.Equal(breakdown.Values.Select(x => (x.Code, x.Value, x.Numerator, x.Denominator)),
            own.Select(x => (x.Code, x.Value, x.Numerator, x.Denominator)));
        Assert.NotNull(own.Single(x => x.Code == PreschoolGross3y).Value);
    }
}

/// <summary>One seeded SQLite county shared by the read-only tests of a class (seeding is the slow part).</summary>
public sealed class SeededCountyFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public SeededCounty County { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await using var db = Database.Open();
        County = await SeededCounty.SeedAsync(db);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}
