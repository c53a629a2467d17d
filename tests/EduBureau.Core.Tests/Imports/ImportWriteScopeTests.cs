using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Dropout;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Imports;

/// <summary>
/// #14 for the student import on SQLite (single pass) and PostgreSQL (COPY): the current school decides who may write a
/// pupil whatever year the file is for, a year not yet opened is 局管理员's, and updates leave one audit line per pupil.
/// </summary>
public class ImportWriteScopeTests
{
    private static readonly TimeProvider Dec2026 = new FixedClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        return (db, await TinyCounty.SeedAsync(ctx));
    }

    private static async Task<ImportResult> ImportAsync(TestDatabase db, string path, int year, UserScope? scope = null)
    {
        await using var ctx = db.Open(scope, Dec2026);
        return await Importer.RunAsync(ctx, path, new ImportOptions(ImportEntity.Students, year));
    }

    private static UserScope EastPrimary(TinyCounty c) => UserScope.ForUser("school", Roles.School, c.EastPrimary.Id, c.EastPrimary.Path);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_LaterYearRowNamingOtherTownshipsPupil_RowRefusedNothingChanged(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        // 王四 (G4) is 在读 at 西乡小学 in 2025; 东镇小学 files him for 2026 under another name.
        var path = Write("csv", StudentHeaders, [Pupil("N1", seq: 11), Pupil("G4", "改名", seq: 13)]);

        var result = await ImportAsync(db, path, 2026, EastPrimary(c));

        Assert.False(result.Success);
        var e = Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Error);
        Assert.Equal((3, "学籍号", "G4"), (e.Row, e.Column, e.Value));
        Assert.Contains("学籍号不存在或不在你的管理范围内", e.Message);
        Assert.DoesNotContain("西乡", e.Message);
        await using var ctx = db.Open();
        var wang = await ctx.Students.Include(s => s.Enrollments).SingleAsync(s => s.StudentNo == "G4");
        Assert.Equal(("王四", 0), (wang.Name, wang.Version));
        Assert.Equal([(2025, c.WestPrimary.Id)], wang.Enrollments.Select(x => (x.Year, x.SchoolId)));
        Assert.False(await ctx.Students.AnyAsync(s => s.StudentNo == "N1"));
        Assert.False(await ctx.SchoolYears.AnyAsync(y => y.Year == 2026));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_EarlierYearRowNamingPupilWhoMovedAway_RowRefused(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        var path = Write("csv", StudentHeaders, [Pupil("G4", "改名", seq: 13)]);

        var result = await ImportAsync(db, path, 2024, EastPrimary(c));

        Assert.Contains(result.Issues.First, i => i.Level == IssueLevel.Error && i.Message.Contains("学籍号不存在或不在你的管理范围内", StringComparison.Ordinal));
        await using var ctx = db.Open();
        Assert.Equal("王四", (await ctx.Students.SingleAsync(s => s.StudentNo == "G4")).Name);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_GraduateOfOtherSchoolInLaterYear_TakenIn(string provider)
    {
        var (db, c) = await SeedWithG4GraduatedAsync(provider);
        await using var _ = db;
        // 小升初: the pupil left 西乡小学 (毕业 in 2025); the school that takes him in 2026 files him as registered.
        var result = await ImportAsync(db, Write("csv", StudentHeaders, [GraduateG4("王四")]), 2026, EastPrimary(c));

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
    }

    /// <summary>TinyCounty with 王四 (G4) 毕业 from 西乡小学 in 2025: a pupil who left a school outside 东镇小学's scope.</summary>
    private static async Task<(TestDatabase Db, TinyCounty County)> SeedWithG4GraduatedAsync(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var ctx = db.Open();
        (await ctx.Enrollments.SingleAsync(x => x.Student.StudentNo == "G4")).Status = EnrollmentStatus.Graduated;
        await ctx.SaveChangesAsync();
        return (db, c);
    }

    /// <summary>王四 as TinyCounty registers him (male, born 1 March of a 二年级 pupil's year, no ID number), in 三年级 now.</summary>
    private static string?[] GraduateG4(string name) =>
        Pupil("G4", name, seq: 13, withId: false).With("出生日期", new DateOnly(TinyCounty.Year - Grade.G2.TypicalAge(), 3, 1).ToString("yyyy-MM-dd"));

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_GraduateOfOtherSchoolRenamed_RowRefusedNothingChanged(string provider)
    {
        var (db, c) = await SeedWithG4GraduatedAsync(provider);
        await using var _ = db;
        // Taking a pupil in does not let a school rewrite who he is (#14: an import renamed another school's pupil).
        var result = await ImportAsync(db, Write("csv", StudentHeaders, [GraduateG4("改名")]), 2026, EastPrimary(c));

        Assert.False(result.Success);
        var e2 = Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Error);
        Assert.Equal(("学籍号", StudentImport.IdentityChanged), (e2.Column, e2.Message));
        Assert.DoesNotContain("王四", e2.Message);
        await using var read = db.Open();
        var wang = await read.Students.Include(s => s.Enrollments).SingleAsync(s => s.StudentNo == "G4");
        Assert.Equal(("王四", 1), (wang.Name, wang.Enrollments.Count));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_YearNotYetOpen_RefusedForSchoolAllowedForAdmin(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        var path = Write("csv", StudentHeaders, [Pupil("N1", seq: 11)]);

        var school = await ImportAsync(db, path, 2030, EastPrimary(c));
        await using (var ctx = db.Open()) Assert.False(await ctx.SchoolYears.AnyAsync(y => y.Year == 2030));
        var admin = await ImportAsync(db, path, 2030, UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path));

        Assert.Equal("2030学年尚未开启，只有局管理员可以开启新学年", school.FileError);
        Assert.True(admin.Success, admin.Summary);
        Assert.Equal([2030], admin.YearsCreated);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_UpdateOfExistingPupils_OneAuditLinePerChangedPupil(string provider)
    {
        var (db, c) = await SeedAsync(provider);
        await using var _ = db;
        Assert.True((await ImportAsync(db, Write("csv", StudentHeaders, [Pupil("N1", seq: 11), Pupil("N2", seq: 13)]), 2025)).Success);

        var second = await ImportAsync(db, Write("csv", StudentHeaders,
            [Pupil("N1", "赵大明", seq: 11).With("班级", "三(2)班"), Pupil("N2", seq: 13), Pupil("N3", seq: 15)]), 2025);

        Assert.Equal((1, 1, 1), (second.Inserted, second.Updated, second.Unchanged));
        await using var ctx = db.Open();
        var n1 = await ctx.Students.SingleAsync(s => s.StudentNo == "N1");
        var classes = await ctx.Classes.Where(x => x.SchoolId == c.EastPrimary.Id && x.Year == 2025).ToDictionaryAsync(x => x.Name, x => x.Id);
        var line = Assert.Single(await ctx.AuditLog.Where(a => a.Action == "导入修改").ToListAsync());
        Assert.Equal(("Student", n1.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), (int?)c.EastPrimary.Id),
            (line.Entity, line.EntityKey, line.OrgUnitId));
        Assert.Equal($"{{\"ClassId\":[{classes["三(1)班"]},{classes["三(2)班"]}],\"Name\":[\"赵小明\",\"赵大明\"]}}", line.Changes);
        Assert.Equal("test", line.UserName); // TestDatabase.Open() without a scope: Database.OpenSystem(options, "test")
    }
}
