using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Data;

public sealed class BulkWriterTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task WriteAsync_EntitiesWithEnumsDatesNullsBools_RoundTripAndLaterEfInsertsDoNotCollide(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        var county = new OrgUnit { Id = 1, Kind = OrgUnitKind.County, Name = "县", Code = "130000", Path = "/1/" };
        var town = new OrgUnit { Id = 2, ParentId = 1, Kind = OrgUnitKind.Township, Name = "镇", Path = "/1/2/", Depth = 1 };
        var unit = new OrgUnit { Id = 3, ParentId = 2, Kind = OrgUnitKind.School, Name = "小学", Code = "1130000001", Path = "/1/2/3/", Depth = 2 };
        var school = new School
        {
            Id = 3, Code = "1130000001", Name = "小学", Level = SchoolLevel.TeachingPoint, Ownership = Ownership.Private,
            Inclusive = true, UrbanRural = UrbanRural.Rural, Boarding = true, TownshipId = 2, CountyId = 1, Path = "/1/2/3/",
        };
        var students = new[]
        {
            new Student { Id = 10, StudentNo = "S10", Name = "张三", Gender = Gender.Female, BirthDate = new DateOnly(2016, 2, 29),
                IdNumber = "11010520160229002X", Disability = DisabilityType.Speech, CountyId = 1 },
            new Student { Id = 11, StudentNo = "S11", Name = "李四", Gender = Gender.Male, BirthDate = new DateOnly(2015, 12, 31),
                IdNumber = null, Ethnicity = "回族", CountyId = 1 },
        };
        var enrollment = new Enrollment
        {
            Id = 20, StudentId = 10, Year = 2025, SchoolId = 3, ClassId = null, Grade = Grade.G3, Status = EnrollmentStatus.Suspended,
            Boarding = BoardingMode.Boarding, LeftBehind = true, CountyId = 1,
        };

        long written;
        await using (var writer = await BulkWriter.OpenAsync(tdb.Options))
        {
            await writer.WriteAsync(new[] { county, town, unit });
            await writer.WriteAsync(new[] { school });
            await writer.WriteAsync(Stream(students));
            await writer.WriteAsync(new[] { enrollment });
            written = writer.RowsWritten;
        }

        Assert.Equal(7, written);
        await using (var db = tdb.Open())
        {
            var s = await db.Schools.SingleAsync();
            Assert.Equal((SchoolLevel.TeachingPoint, Ownership.Private, true, UrbanRural.Rural, "/1/2/3/"), (s.Level, s.Ownership, s.Boarding, s.UrbanRural, s.Path));
            var zhang = await db.Students.SingleAsync(x => x.Id == 10);
            Assert.Equal((new DateOnly(2016, 2, 29), Gender.Female, DisabilityType.Speech, "11010520160229002X", (string?)null),
                (zhang.BirthDate, zhang.Gender, zhang.Disability, zhang.IdNumber, zhang.Ethnicity));
            var li = await db.Students.SingleAsync(x => x.Id == 11);
            Assert.Null(li.IdNumber);
            Assert.Equal("回族", li.Ethnicity);
            var e = await db.Enrollments.SingleAsync();
            Assert.Equal((Grade.G3, EnrollmentStatus.Suspended, BoardingMode.Boarding, true, false, (int?)null),
                (e.Grade, e.Status, e.Boarding, e.LeftBehind, e.Migrant, e.ClassId));
            Assert.Equal(1, await db.Students.CountAsync(x => x.BirthDate < new DateOnly(2016, 1, 1)));
            Assert.Equal(1, await db.Enrollments.CountAsync(x => x.Grade == Grade.G3 && x.Boarding == BoardingMode.Boarding));

            // Identity sequences were moved past the explicit ids: EF's own inserts get fresh keys.
            db.OrgUnits.Add(new OrgUnit { Kind = OrgUnitKind.Township, Name = "新镇", ParentId = 1 });
            db.Students.Add(new Student { StudentNo = "S12", Name = "王五", BirthDate = new DateOnly(2016, 1, 1), CountyId = 1 });
            await db.SaveChangesAsync();
            Assert.Equal(4, await db.OrgUnits.MaxAsync(u => u.Id));
            Assert.Equal(12, await db.Students.MaxAsync(x => x.Id));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task NextIdAsync_EmptyThenFilled_ReturnsOneThenMaxPlusOne(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var writer = await BulkWriter.OpenAsync(tdb.Options);

        var first = await writer.NextIdAsync<OrgUnit>();
        await writer.WriteAsync(new[] { new OrgUnit { Id = 41, Kind = OrgUnitKind.County, Name = "县", Path = "/41/" } });
        var next = await writer.NextIdAsync<OrgUnit>();

        Assert.Equal((1L, 42L), (first, next));
    }

    private static async IAsyncEnumerable<Student> Stream(IEnumerable<Student> rows)
    {
        foreach (var r in rows)
        {
            await Task.Yield();
            yield return r;
        }
    }
}
