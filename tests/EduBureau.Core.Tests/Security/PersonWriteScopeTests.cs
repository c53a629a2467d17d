using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Security;

/// <summary>
/// The save rules of #14 on SQLite and PostgreSQL: a pupil's or staff member's record is written only within the scope
/// of their current school (latest year's enrolment/assignment); a year later than every open one only by 局管理员.
/// </summary>
public class PersonWriteScopeTests
{
    private static readonly TimeProvider Dec2025 = new FixedClock(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>TinyCounty, plus 王四 (G4, 西乡小学 2025) enrolled at 东镇小学 in 2024: 东镇小学 still reads him, but he moved.</summary>
    private static async Task<(TestDatabase Db, TinyCounty County, long Wang)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var c = await TinyCounty.SeedAsync(ctx);
        var wang = await ctx.Students.SingleAsync(s => s.StudentNo == "G4");
        ctx.Enrollments.Add(new Enrollment { StudentId = wang.Id, Year = 2024, SchoolId = c.EastPrimary.Id, Grade = Grade.G1, CountyId = c.County.Id });
        await ctx.SaveChangesAsync();
        return (db, c, wang.Id);
    }

    private static UserScope School(School s) => UserScope.ForUser("school", Roles.School, s.Id, s.Path);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_FormerSchoolEditsMovedPupil_RefusedNothingWritten(string provider)
    {
        var (db, c, wang) = await SeedAsync(provider);
        await using var _ = db;
        await using (var ctx = db.Open(School(c.EastPrimary)))
        {
            var pupil = await ctx.Students.SingleAsync(s => s.Id == wang); // history stays readable
            pupil.Name = "改名";

            var e = await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
            Assert.Equal("该学生不存在或不在你的管理范围内", e.Message);
        }
        await using var check = db.Open();
        Assert.Equal("王四", (await check.Students.SingleAsync(s => s.Id == wang)).Name);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_CurrentSchoolEditsPupil_Allowed(string provider)
    {
        var (db, c, wang) = await SeedAsync(provider);
        await using var _ = db;
        await using (var ctx = db.Open(School(c.WestPrimary)))
        {
            (await ctx.Students.SingleAsync(s => s.Id == wang)).Name = "王肆";
            await ctx.SaveChangesAsync();
        }
        await using var check = db.Open();
        Assert.Equal("王肆", (await check.Students.SingleAsync(s => s.Id == wang)).Name);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_FormerSchoolDeletesMovedPupil_Refused(string provider)
    {
        var (db, c, wang) = await SeedAsync(provider);
        await using var _ = db;
        await using (var ctx = db.Open(School(c.EastPrimary)))
        {
            ctx.Students.Remove(await ctx.Students.SingleAsync(s => s.Id == wang));
            await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
        }
        await using var check = db.Open();
        Assert.True(await check.Students.AnyAsync(s => s.Id == wang));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_EnrolmentOfLaterYearInScopeInSameSave_ReceivingSchoolCounts(string provider)
    {
        var (db, c, wang) = await SeedAsync(provider);
        await using var _ = db;
        await using (var ctx = db.Open(School(c.EastPrimary), new FixedClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))))
        {
            (await ctx.Students.SingleAsync(s => s.Id == wang)).Name = "王四新";
            ctx.Enrollments.Add(new Enrollment { StudentId = wang, Year = 2026, SchoolId = c.EastPrimary.Id, Grade = Grade.G3, CountyId = c.County.Id });
            await ctx.SaveChangesAsync();
        }
        await using var check = db.Open();
        Assert.Equal("王四新", (await check.Students.SingleAsync(s => s.Id == wang)).Name);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_FormerSchoolEditsMovedStaff_Refused(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var _ = db;
        long id;
        TinyCounty c;
        await using (var ctx = db.Open())
        {
            c = await TinyCounty.SeedAsync(ctx);
            var t = new StaffMember
            {
                StaffNo = "T1", Name = "陈老师", Gender = Gender.Female, BirthDate = new DateOnly(1985, 5, 2), Post = StaffPost.FullTimeTeacher,
                Education = EducationLevel.Bachelor, CountyId = c.County.Id, Established = true,
            };
            t.Assignments.Add(new StaffAssignment { Year = 2024, SchoolId = c.EastPrimary.Id, CountyId = c.County.Id });
            t.Assignments.Add(new StaffAssignment { Year = 2025, SchoolId = c.WestPrimary.Id, CountyId = c.County.Id });
            ctx.StaffMembers.Add(t);
            await ctx.SaveChangesAsync();
            id = t.Id;
        }
        await using (var ctx = db.Open(School(c.EastPrimary)))
        {
            (await ctx.StaffMembers.SingleAsync(s => s.Id == id)).Name = "改名";
            var e = await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
            Assert.Equal("该教职工不存在或不在你的管理范围内", e.Message);
        }
        await using (var ctx = db.Open(School(c.WestPrimary)))
        {
            (await ctx.StaffMembers.SingleAsync(s => s.Id == id)).Subject = "数学";
            await ctx.SaveChangesAsync();
        }
        await using var check = db.Open();
        var stored = await check.StaffMembers.SingleAsync(s => s.Id == id);
        Assert.Equal(("陈老师", "数学"), (stored.Name, stored.Subject));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_YearNotYetOpenBySchool_RefusedNoYearWritten(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var _ = db;
        TinyCounty c;
        await using (var ctx = db.Open()) c = await TinyCounty.SeedAsync(ctx);
        await using (var ctx = db.Open(School(c.EastPrimary), Dec2025))
        {
            ctx.Classes.Add(new ClassRoom { SchoolId = c.EastPrimary.Id, Year = 2030, Grade = Grade.G1, Name = "一(1)班" });
            var e = await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
            Assert.Equal("2030学年尚未开启，只有局管理员可以开启新学年", e.Message);
        }
        await using var check = db.Open();
        Assert.False(await check.SchoolYears.AnyAsync(y => y.Year == 2030));
        Assert.False(await check.Classes.AnyAsync(x => x.Year == 2030));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_PastAndCurrentYearBySchool_AllowedNewYearByAdmin_Allowed(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var _ = db;
        TinyCounty c;
        await using (var ctx = db.Open()) c = await TinyCounty.SeedAsync(ctx);
        await using (var ctx = db.Open(School(c.EastPrimary), Dec2025))
        {
            ctx.Classes.Add(new ClassRoom { SchoolId = c.EastPrimary.Id, Year = 2020, Grade = Grade.G1, Name = "一(1)班" });
            await ctx.SaveChangesAsync();
        }
        // December 2026: the school year 2026 has begun, so a school may write it although no data holds it yet.
        await using (var ctx = db.Open(School(c.EastPrimary), new FixedClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))))
        {
            ctx.Classes.Add(new ClassRoom { SchoolId = c.EastPrimary.Id, Year = 2026, Grade = Grade.G1, Name = "一(1)班" });
            await ctx.SaveChangesAsync();
        }
        await using (var ctx = db.Open(UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path), Dec2025))
        {
            ctx.Classes.Add(new ClassRoom { SchoolId = c.EastPrimary.Id, Year = 2030, Grade = Grade.G1, Name = "一(1)班" });
            await ctx.SaveChangesAsync();
        }
        await using var check = db.Open();
        Assert.Equal([2020, 2025, 2026, 2030], await check.SchoolYears.OrderBy(y => y.Year).Select(y => y.Year).ToListAsync());
    }
}
