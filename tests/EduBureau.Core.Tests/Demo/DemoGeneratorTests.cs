using System.Security.Cryptography;
using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Demo;

/// <summary>One full-size 演示县 (scale 1, size 1) shared by the tests that check realism; generated once.</summary>
public sealed class FullDemoCounty : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;
    public DemoResult Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        Result = await DemoGenerator.GenerateAsync(Db.Options, new DemoSettings(Seed: 2026));
    }

    public async Task DisposeAsync() => await Db.DisposeAsync();
}

public sealed class DemoGeneratorTests(FullDemoCounty full) : IClassFixture<FullDemoCounty>
{
    private const double TestSize = 0.08;

    [Fact]
    public async Task GenerateAsync_SameSeedTwice_GivesIdenticalCountsAndRowChecksums()
    {
        await using var a = await TestDatabase.CreateAsync();
        await using var b = await TestDatabase.CreateAsync();
        var settings = new DemoSettings(Seed: 77, Size: TestSize);

        await DemoGenerator.GenerateAsync(a.Options, settings);
        await DemoGenerator.GenerateAsync(b.Options, settings);

        var fa = await FingerprintAsync(a);
        var fb = await FingerprintAsync(b);
        Assert.Equal(fa, fb);
        Assert.True(fa.Students > 2000, $"students {fa.Students}");
    }

    [Fact]
    public async Task GenerateAsync_DifferentSeed_GivesDifferentRows()
    {
        await using var a = await TestDatabase.CreateAsync();
        await using var b = await TestDatabase.CreateAsync();

        await DemoGenerator.GenerateAsync(a.Options, new DemoSettings(Seed: 1, Size: TestSize));
        await DemoGenerator.GenerateAsync(b.Options, new DemoSettings(Seed: 2, Size: TestSize));

        var fa = await FingerprintAsync(a);
        var fb = await FingerprintAsync(b);
        Assert.NotEqual(fa.StudentChecksum, fb.StudentChecksum);
        Assert.NotEqual(fa.EnrollmentChecksum, fb.EnrollmentChecksum);
    }

    [SkippableFact]
    public async Task GenerateAsync_SqliteAndPostgres_WriteIdenticalRows()
    {
        await using var pg = await TestDatabase.CreateAsync("Postgres");
        await using var lite = await TestDatabase.CreateAsync();
        var settings = new DemoSettings(Seed: 5, Size: 0.03);

        await DemoGenerator.GenerateAsync(pg.Options, settings);
        await DemoGenerator.GenerateAsync(lite.Options, settings);

        Assert.Equal(await FingerprintAsync(lite), await FingerprintAsync(pg));
    }

    [Fact]
    public async Task GenerateAsync_ScaleTwo_BuildsCityOfTwoCountiesWithDistinctCodesAndIds()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await DemoGenerator.GenerateAsync(db.Options, new DemoSettings(Seed: 3, Scale: 2, Size: 0.03));

        await using var ctx = db.Open();
        var top = await ctx.OrgUnits.SingleAsync(u => u.ParentId == null);
        Assert.Equal((OrgUnitKind.City, "演示市"), (top.Kind, top.Name));
        var counties = await ctx.OrgUnits.Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id).ToListAsync();
        Assert.Equal(["演示县1", "演示县2"], counties.Select(c => c.Name));
        Assert.All(counties, c => Assert.Equal(top.Id, c.ParentId));
        Assert.Equal(2, result.Counties);
        Assert.Equal(result.Schools, await ctx.Schools.CountAsync());
        Assert.Equal(result.Schools, await ctx.Schools.Select(s => s.Code).Distinct().CountAsync());
        Assert.Equal(result.Students, await ctx.Students.CountAsync());
        Assert.Equal(result.Students, await ctx.Students.Select(s => s.StudentNo).Distinct().CountAsync());
        Assert.All(counties, c => Assert.True(ctx.Schools.Count(s => s.CountyId == c.Id) >= 60));
    }

    [Fact]
    public async Task GenerateAsync_InvalidScale_IsRefused()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DemoGenerator.GenerateAsync(db.Options, new DemoSettings(Scale: 0)));
        await using var ctx = db.Open();
        Assert.False(await ctx.OrgUnits.AnyAsync());
    }

    // ---- realism of the full-size county ----

    [Fact]
    public async Task FullCounty_Organisation_HasTheStatedShape()
    {
        await using var ctx = full.Db.Open();
        var townships = await ctx.OrgUnits.Where(u => u.Kind == OrgUnitKind.Township).ToListAsync();
        Assert.InRange(townships.Count, 10, 14);
        var schools = await ctx.Schools.ToListAsync();
        Assert.InRange(schools.Count, 60, 85);
        var byLevel = schools.GroupBy(s => s.Level).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Single(byLevel[SchoolLevel.Vocational]);
        Assert.Single(byLevel[SchoolLevel.Special]);
        Assert.InRange(byLevel[SchoolLevel.Senior].Count + byLevel.GetValueOrDefault(SchoolLevel.Complete, []).Count, 2, 3);
        Assert.True(byLevel[SchoolLevel.NineYear].Count >= 1);
        Assert.True(byLevel[SchoolLevel.Junior].Count >= 5);
        var kgs = byLevel[SchoolLevel.Kindergarten];
        Assert.Contains(kgs, k => k.Ownership == Ownership.Public);
        Assert.Contains(kgs, k => k.Ownership == Ownership.Private && k.Inclusive);
        Assert.Contains(kgs, k => k.Ownership == Ownership.Private && !k.Inclusive);
        // Every 教学点 hangs under a 中心校 (a primary school of its township).
        var points = byLevel[SchoolLevel.TeachingPoint];
        Assert.NotEmpty(points);
        Assert.All(points, p =>
        {
            var parent = schools.Single(s => s.Id == p.ParentSchoolId);
            Assert.Equal((SchoolLevel.Primary, p.TownshipId), (parent.Level, parent.TownshipId));
        });
        Assert.All(schools.Where(s => s.UrbanRural == UrbanRural.Urban), s => Assert.Equal(townships.OrderBy(t => t.Id).First().Id, s.TownshipId));
        Assert.True(await ctx.SchoolGroups.CountAsync() >= townships.Count);
        Assert.Equal([2024, 2025, 2026], await ctx.SchoolYears.OrderBy(y => y.Year).Select(y => y.Year).ToListAsync());
    }

    [Fact]
    public async Task FullCounty_PupilsAndStaff_AreInTheStatedRanges()
    {
        await using var ctx = full.Db.Open();
        foreach (var year in new[] { 2024, 2025, 2026 })
        {
            var inSchool = await InSchool(ctx, year).CountAsync();
            Assert.InRange(inSchool, 50_000, 70_000);
            var staff = await ctx.StaffAssignments.CountAsync(a => a.Year == year);
            Assert.InRange(staff, 3_800, 5_200);
            Assert.Equal(await ctx.Schools.CountAsync(), await ctx.SchoolConditions.CountAsync(c => c.Year == year));
        }
        // Movement: promotions, transfers both ways, a few dropouts and some of them back.
        var kinds = await ctx.StatusEvents.GroupBy(e => e.Kind).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N);
        Assert.InRange(kinds[StatusEventKind.DropOut], 20, 400);
        Assert.True(kinds[StatusEventKind.Resume] > 0);
        Assert.True(kinds[StatusEventKind.TransferIn] > 300);
        Assert.True(kinds[StatusEventKind.TransferOut] > 300);
        Assert.True(kinds[StatusEventKind.Graduate] > 10_000);
        // A pupil promoted from 2025 to 2026 is one grade up (or repeats).
        var pairs = await ctx.Enrollments.Where(e => e.Year == 2025 && e.Grade == Grade.G3 && e.Status == EnrollmentStatus.InSchool)
            .Join(ctx.Enrollments.Where(e => e.Year == 2026), a => a.StudentId, b => b.StudentId, (a, b) => b.Grade).ToListAsync();
        Assert.True(pairs.Count(g => g == Grade.G4) > 0.98 * pairs.Count, "most 三年级 pupils of 2025 are in 四年级 in 2026");
        Assert.Equal(9, await ctx.HistoricalEnrollments.Select(h => h.Year).Distinct().CountAsync());
        Assert.Equal(2015, await ctx.HistoricalEnrollments.MinAsync(h => h.Year));
    }

    [Fact]
    public async Task FullCounty_Indicators_LandInBelievableRanges()
    {
        await using var ctx = full.Db.Open();
        foreach (var year in new[] { 2024, 2026 })
        {
            // 学前三年毛入园率 = 在园幼儿 / 3–5 岁人口.
            double kg = await InSchool(ctx, year).CountAsync(e => e.Grade <= Grade.KgLarge);
            double pop35 = await ctx.Population.Where(p => p.Year == year && p.Age >= 3 && p.Age <= 5).SumAsync(p => p.Count);
            Assert.InRange(kg / pop35 * 100, 85, 95);
            // 巩固率 = 九年级 of Y / 一年级 of Y − 8 (from 历年在校生).
            double g9 = await InSchool(ctx, year).CountAsync(e => e.Grade == Grade.G9);
            double g1 = await ctx.HistoricalEnrollments.Where(h => h.Year == year - 8 && h.Grade == Grade.G1).SumAsync(h => h.Enrolled);
            Assert.InRange(g9 / g1 * 100, 96, 99);
            // 大班额比例 over primary and junior classes: a few percent, with some 56+ classes.
            var sizes = await ctx.Classes.Where(c => c.Year == year && c.Grade >= Grade.G1 && c.Grade <= Grade.G9)
                .Select(c => ctx.Enrollments.Count(e => e.ClassId == c.Id && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended)))
                .ToListAsync();
            var big = sizes.Count(n => n >= 56) * 100.0 / sizes.Count;
            Assert.InRange(big, 1, 10);
            // 公办园在园幼儿占比 ≥ 50% and 普惠覆盖率 ≥ 80% as in a county that passed its 学前 review.
            double pub = await InSchool(ctx, year).CountAsync(e => e.Grade <= Grade.KgLarge && e.School.Ownership == Ownership.Public);
            Assert.InRange(pub / kg * 100, 50, 90);
            // 残疾儿童少年义务教育入学率 = 在校三类残疾 6–14 岁 / 三类残疾 6–14 岁人口: high, but a few children are not in school.
            var countDate = new DateOnly(year, 9, 1);
            var births = await InSchool(ctx, year)
                .Where(e => e.Student.Disability == DisabilityType.Visual || e.Student.Disability == DisabilityType.Hearing
                    || e.Student.Disability == DisabilityType.Speech || e.Student.Disability == DisabilityType.Intellectual)
                .Select(e => e.Student.BirthDate).ToListAsync();
            double disabledInSchool = births.Count(b => SchoolYear.AgeOn(b, countDate) is >= 6 and <= 14);
            double disabledPop = await ctx.Population.Where(p => p.Year == year && p.Age >= 6 && p.Age <= 14).SumAsync(p => p.DisabledCount ?? 0);
            Assert.InRange(disabledInSchool / disabledPop * 100, 93, 99.5);
        }
    }

    [Fact]
    public async Task FullCounty_IdNumbers_AreValidUniqueAndMatchBirthAndGender()
    {
        await using var ctx = full.Db.Open();
        var students = await ctx.Students.Where(s => s.IdNumber != null).Select(s => new { s.IdNumber, s.BirthDate, s.Gender }).ToListAsync();
        var staff = await ctx.StaffMembers.Where(s => s.IdNumber != null).Select(s => new { s.IdNumber, s.BirthDate, s.Gender }).ToListAsync();
        var all = students.Concat(staff).ToList();
        Assert.True(students.Count > 60_000);
        Assert.All(all, x =>
        {
            Assert.True(IdNumber.IsValid(x.IdNumber), x.IdNumber);
            Assert.Equal(x.BirthDate, IdNumber.BirthDate(x.IdNumber!));
            Assert.Equal(x.Gender, IdNumber.GenderOf(x.IdNumber!));
        });
        Assert.Equal(all.Count, all.Select(x => x.IdNumber).Distinct().Count());
    }

    [Fact]
    public async Task FullCounty_EachPupil_HasAtMostOneEnrollmentPerYearAndAnAgeFittingTheGrade()
    {
        await using var ctx = full.Db.Open();
        var duplicates = await ctx.Enrollments.GroupBy(e => new { e.StudentId, e.Year }).CountAsync(g => g.Count() > 1);
        Assert.Equal(0, duplicates);
        var g1 = await ctx.Enrollments.Where(e => e.Year == 2026 && e.Grade == Grade.G1 && e.School.Level != SchoolLevel.Special)
            .Select(e => e.Student.BirthDate).ToListAsync();
        var ages = g1.Select(b => SchoolYear.AgeOn(b, new DateOnly(2026, 9, 1))).ToList();
        Assert.True(ages.Count(a => a == 6) > 0.9 * ages.Count);
        Assert.All(ages, a => Assert.InRange(a, 6, 9));
    }

    [Fact]
    public async Task FullCounty_Classes_HoldEveryPupilInSchoolExceptHomeSchoolingAndStayWithinCaps()
    {
        await using var ctx = full.Db.Open();
        var unplaced = await InSchool(ctx, 2026).CountAsync(e => e.ClassId == null && !e.HomeSchooling);
        Assert.Equal(0, unplaced);
        var wrongSchool = await ctx.Enrollments.CountAsync(e => e.ClassId != null && (e.Class!.SchoolId != e.SchoolId || e.Class.Grade != e.Grade || e.Class.Year != e.Year));
        Assert.Equal(0, wrongSchool);
        var sizes = await ctx.Classes.Where(c => c.Year == 2026).Select(c => ctx.Enrollments.Count(e => e.ClassId == c.Id)).ToListAsync();
        Assert.All(sizes, n => Assert.InRange(n, 1, 65));
        Assert.Contains(sizes, n => n >= 56);
    }

    private static IQueryable<Students.Enrollment> InSchool(EduDbContext ctx, int year) =>
        ctx.Enrollments.Where(e => e.Year == year && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended));

    private sealed record Fingerprint(int Schools, int Students, int Enrollments, int Classes, int Events, int Staff, int Assignments,
        int Conditions, int History, int Population, string StudentChecksum, string EnrollmentChecksum, string StaffChecksum);

    private static async Task<Fingerprint> FingerprintAsync(TestDatabase db)
    {
        await using var ctx = db.Open();
        var students = await ctx.Students.OrderBy(s => s.Id).Select(s => $"{s.Id}|{s.StudentNo}|{s.Name}|{s.BirthDate:yyyyMMdd}|{s.IdNumber}|{s.Disability}").ToListAsync();
        var enrollments = await ctx.Enrollments.OrderBy(e => e.Id)
            .Select(e => new { e.StudentId, e.Year, e.SchoolId, e.ClassId, e.Grade, e.Status, e.Boarding, e.LeftBehind }).ToListAsync();
        var staff = await ctx.StaffMembers.OrderBy(s => s.Id).Select(s => new { s.StaffNo, s.Name, s.IdNumber, s.Post, s.Subject, s.Education }).ToListAsync();
        return new Fingerprint(
            await ctx.Schools.CountAsync(), students.Count, enrollments.Count, await ctx.Classes.CountAsync(), await ctx.StatusEvents.CountAsync(),
            staff.Count, await ctx.StaffAssignments.CountAsync(), await ctx.SchoolConditions.CountAsync(), await ctx.HistoricalEnrollments.CountAsync(),
            await ctx.Population.CountAsync(),
            Sha(students), Sha(enrollments.Select(e => e.ToString()!)), Sha(staff.Select(s => s.ToString()!)));
    }

    private static string Sha(IEnumerable<string> lines) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    [Fact]
    public async Task FullCounty_EngineIndicators_EqualOneHandWrittenSqlQueryEach()
    {
        // The demo county's dashboard numbers, checked against a second computation that shares no code with the
        // engine (SQL over the raw tables, whole county).
        await using var ctx = full.Db.Open();
        foreach (var year in new[] { 2024, 2026 })
        {
            var values = EduBureau.Core.Indicators.IndicatorEngine.Compute(await EduBureau.Core.Indicators.SnapshotLoader.LoadAsync(ctx, year));
            var queries = EduBureau.TestSupport.IndicatorSql.For(year);
            Assert.True(queries.Count >= 10, $"only {queries.Count} SQL checks");
            foreach (var (code, sql) in queries)
            {
                var expected = await EduBureau.TestSupport.IndicatorSql.EvaluateAsync(ctx, sql);
                var actual = values.Single(v => v.Code == code).Value;
                Assert.True(expected is not null, $"{year} {code}: SQL gave no value on the demo county");
                Assert.True(actual is { } a && Math.Abs(a - expected!.Value) <= 1e-6 * Math.Max(1, Math.Abs(a)),
                    $"{year} {code}: engine {actual} ≠ SQL {expected}");
            }
        }
    }

    [Fact]
    public async Task FullCounty_MembersBehindEachSchoolRow_CountUpToItsNumeratorAndDenominator()
    {
        // The records listed behind a school's row (pupils, classes, teachers) must number exactly the row's numerator and
        // denominator for every indicator, for a spread of schools (every 6th school row of each indicator).
        await using var ctx = full.Db.Open();
        const int year = 2026;
        var values = EduBureau.Core.Indicators.IndicatorEngine.Compute(await EduBureau.Core.Indicators.SnapshotLoader.LoadAsync(ctx, year));
        var checkedSides = 0;
        foreach (var v in values)
            foreach (var row in v.Rows.Where(r => r.Kind == "学校").Where((_, i) => i % 6 == 0))
                foreach (var (side, expected) in new[] { (EduBureau.Core.Indicators.MemberSide.Numerator, row.Numerator), (EduBureau.Core.Indicators.MemberSide.Denominator, row.Denominator) })
                {
                    var list = await EduBureau.Core.Indicators.IndicatorMembers.ListAsync(ctx, v.Code, year, row.Id, side);
                    if (list is null) continue; // 适龄人口 or a 历年在校生 base: figures, not records
                    if (list.Note?.Contains("折算", StringComparison.Ordinal) == true)
                        Assert.True(list.Rows.Count >= expected, $"{v.Code} {row.Name} {side}: {list.Rows.Count} teachers < share {expected}");
                    else
                        Assert.True(list.Rows.Count == expected, $"{v.Code} {row.Name} {side}: {list.Rows.Count} listed ≠ {expected}");
                    checkedSides++;
                }
        Assert.True(checkedSides > 100, $"only {checkedSides} sides checked");
    }
}

