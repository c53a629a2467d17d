using EduBureau.Core.Common;
using EduBureau.Core.Organization;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EduBureau.Core.Tests.Years;

/// <summary>Every write to a school year creates that year: through the context's save, and with <see cref="SchoolYears.EnsureSql"/>.</summary>
public class SchoolYearsTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SaveChanges_EnrollmentOfNewYear_CreatesSchoolYearInSameSave(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        var pupil = await ctx.Students.SingleAsync(s => s.StudentNo == "G1");

        ctx.Enrollments.Add(new Enrollment { StudentId = pupil.Id, Year = 2026, SchoolId = c.EastPrimary.Id, Grade = Grade.G2, CountyId = c.County.Id });
        ctx.Classes.Add(new ClassRoom { SchoolId = c.EastPrimary.Id, Year = 2027, Grade = Grade.G3, Name = "三(1)班" });
        await ctx.SaveChangesAsync();

        await using var check = db.Open();
        Assert.Equal([(2025, new DateOnly(2025, 9, 1)), (2026, new DateOnly(2026, 9, 1)), (2027, new DateOnly(2027, 9, 1))],
            (await check.SchoolYears.OrderBy(y => y.Year).ToListAsync()).Select(y => (y.Year, y.CountDate)));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SaveChanges_FailedSave_CreatesNoYear(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        TinyCounty c;
        long pupilId;
        await using (var seed = db.Open())
        {
            c = await TinyCounty.SeedAsync(seed);
            pupilId = await seed.Students.Where(s => s.StudentNo == "G1").Select(s => s.Id).SingleAsync();
        }
        await using var ctx = db.Open();
        // Two enrolments of one pupil in one year break the unique (StudentId, Year) index: the save fails as a whole.
        ctx.Enrollments.Add(new Enrollment { StudentId = pupilId, Year = 2026, SchoolId = c.EastPrimary.Id, Grade = Grade.G2, CountyId = c.County.Id });
        ctx.Enrollments.Add(new Enrollment { StudentId = pupilId, Year = 2026, SchoolId = c.WestPrimary.Id, Grade = Grade.G2, CountyId = c.County.Id });

        await Assert.ThrowsAsync<DbUpdateException>(() => ctx.SaveChangesAsync());

        await using var check = db.Open();
        Assert.Equal([2025], await check.SchoolYears.Select(y => y.Year).ToListAsync());
        Assert.Equal(0, await check.Enrollments.CountAsync(e => e.Year == 2026));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnsureSql_RunTwiceInTransaction_OneRowWithCountDate(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open())
        {
            await using var tx = await ctx.Database.BeginTransactionAsync();
            await SchoolYears.EnsureAsync(tx.GetDbTransaction(), 2024);
            await SchoolYears.EnsureAsync(tx.GetDbTransaction(), 2024);
            await tx.CommitAsync();
            await SchoolYears.EnsureAsync(ctx, 2024);
            await SchoolYears.EnsureAsync(ctx, 2023);
        }
        await using (var ctx = db.Open())
        {
            // Rolled back with its transaction.
            await using var tx = await ctx.Database.BeginTransactionAsync();
            await SchoolYears.EnsureAsync(tx.GetDbTransaction(), 2030);
            await tx.RollbackAsync();
        }

        await using var check = db.Open();
        Assert.Equal([(2023, new DateOnly(2023, 9, 1)), (2024, new DateOnly(2024, 9, 1))],
            (await check.SchoolYears.OrderBy(y => y.Year).ToListAsync()).Select(y => (y.Year, y.CountDate)));
        Assert.Equal([("p0", (object)2024), ("p1", new DateOnly(2024, 9, 1))], SchoolYears.EnsureParameters(2024));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InData_YearsWithoutRows_UnionAndLatestRosters(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open())
        {
            var c = await TinyCounty.SeedAsync(ctx);
            // An old database: 2022 conditions and 2023 staff without SchoolYears rows (raw SQL, as an old import wrote them).
            await ctx.Database.ExecuteSqlAsync(
                $"INSERT INTO \"SchoolConditions\" (\"SchoolId\", \"Year\", \"TeachingArea\", \"SportsArea\", \"EquipmentValue\", \"MultimediaRooms\", \"CountyId\") VALUES ({c.EastPrimary.Id}, 2022, 1, 1, 1, 1, {c.County.Id})");
            ctx.SchoolYears.Add(SchoolYear.For(2027));
            await ctx.SaveChangesAsync();
        }

        await using var check = db.Open();
        var years = await SchoolYears.InDataAsync(check);

        Assert.Equal([2022, 2025, 2027], years.Years);
        Assert.Equal(2025, years.LatestWithRosters);
    }
}
