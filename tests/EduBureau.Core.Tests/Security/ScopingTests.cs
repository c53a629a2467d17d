using EduBureau.Core.Common;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Security;

/// <summary>Scoping is enforced by the context for every query and save; these run on SQLite and PostgreSQL.</summary>
public class ScopingTests
{
    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        return (db, await TinyCounty.SeedAsync(ctx));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Query_SchoolUser_SeesOnlyOwnPupils(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using var ctx = db.Open(UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path));

        var pupils = await ctx.Students.OrderBy(s => s.StudentNo).Select(s => s.StudentNo).ToListAsync();
        var enrollments = await ctx.Enrollments.CountAsync();
        var schools = await ctx.Schools.Select(s => s.Name).ToListAsync();

        Assert.Equal(["G1", "G2"], pupils);
        Assert.Equal(2, enrollments);
        Assert.Equal(["东镇小学"], schools);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Query_TownshipUser_SeesItsSchoolsOnly(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using var ctx = db.Open(UserScope.ForUser("town", Roles.Township, c.East.Id, c.East.Path));

        var schools = await ctx.Schools.OrderBy(s => s.Code).Select(s => s.Name).ToListAsync();
        var pupils = await ctx.Students.CountAsync();
        var other = await ctx.Students.FirstOrDefaultAsync(s => s.StudentNo == "G4");

        Assert.Equal(["东镇小学", "东镇中学"], schools);
        Assert.Equal(3, pupils);
        Assert.Null(other);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_EnrollmentInAnotherSchool_IsRefusedAndNothingWritten(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using (var ctx = db.Open(UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path)))
        {
            TinyCounty.AddPupil(ctx, "G9", "外校生", c.WestPrimary, Grade.G1, c.County.Id);
            await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
        }

        await using var check = db.Open();
        Assert.False(await check.Students.AnyAsync(s => s.StudentNo == "G9"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_ReadOnlyRole_IsRefused(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using var ctx = db.Open(UserScope.ForUser("inspector", Roles.Inspector, c.County.Id, c.County.Path));
        var pupil = await ctx.Students.SingleAsync(s => s.StudentNo == "G1");

        pupil.Name = "改名";

        var e = await Assert.ThrowsAsync<ScopeViolationException>(() => ctx.SaveChangesAsync());
        Assert.Contains("只读", e.Message);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_Edit_IsAuditedWithOldAndNewValues(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        await using (var ctx = db.Open(UserScope.ForUser("clerk", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path)))
        {
            var pupil = await ctx.Students.SingleAsync(s => s.StudentNo == "G1");
            pupil.Name = "张壹";
            await ctx.SaveChangesAsync();
        }

        await using var check = db.Open();
        var entry = await check.AuditLog.Where(a => a.Entity == nameof(Student) && a.Action == "修改").SingleAsync();
        Assert.Equal("clerk", entry.UserName);
        Assert.Contains("\"Name\":[\"张一\",\"张壹\"]", entry.Changes);
        Assert.Equal(1, await check.Students.Where(s => s.StudentNo == "G1").Select(s => s.Version).SingleAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_StaleEdit_ThrowsConcurrencyAndKeepsFirstEdit(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var __ = db;
        await using var first = db.Open();
        await using var second = db.Open();
        var a = await first.Students.SingleAsync(s => s.StudentNo == "G2");
        var b = await second.Students.SingleAsync(s => s.StudentNo == "G2");

        a.Name = "先改";
        await first.SaveChangesAsync();
        b.Name = "后改";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = db.Open();
        Assert.Equal("先改", await check.Students.Where(s => s.StudentNo == "G2").Select(s => s.Name).SingleAsync());
    }
}
