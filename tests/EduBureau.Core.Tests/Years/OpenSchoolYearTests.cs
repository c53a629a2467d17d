using EduBureau.Core.Common;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Core.Years;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Years;

/// <summary>新学年 on the hand-made <see cref="YearCounty"/> (2024 → 2025), on SQLite and PostgreSQL.</summary>
public class OpenSchoolYearTests
{
    private const int Y = YearCounty.Year + 1;

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_SmallCounty_PromotesGraduatesAndCarriesStaff(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var seed = db.Open()) await YearCounty.SeedAsync(seed);

        RolloverPlan preview;
        await using (var ctx = db.Open()) preview = await OpenSchoolYear.PreviewAsync(ctx, Y);
        OpenYearResult result;
        await using (var ctx = db.Open()) result = await OpenSchoolYear.RunAsync(ctx, Y);

        Assert.True(result.Written);
        Assert.Equal(RolloverState.Ready, preview.State);
        Assert.Equal(new RolloverCounts(Promoted: 6, Graduating: 5, Classes: 5, Staff: 5), preview.Total);
        Assert.Equal(preview.Total, result.Plan.Total);
        Assert.Equal(1, preview.SkippedClosedPupils);
        Assert.Equal(
            [("东镇九年制学校", new RolloverCounts(1, 1, 1, 1)), ("东镇小学", new RolloverCounts(2, 1, 1, 1)), ("县一中", new RolloverCounts(1, 1, 1, 1)),
             ("西乡中学", new RolloverCounts(1, 1, 1, 1)), ("西乡幼儿园", new RolloverCounts(1, 1, 1, 1))],
            preview.Schools.Select(s => (s.School, s.Counts)));

        await using var check = db.Open();
        var next = await check.Enrollments.Where(e => e.Year == Y).OrderBy(e => e.Student.StudentNo)
            .Select(e => new { e.Student.StudentNo, School = e.School.Name, e.Grade, Class = e.Class!.Name, e.Status, e.LeftBehind, e.Boarding }).ToListAsync();
        Assert.Equal(
            [
                "A1 东镇小学 G2 二(1)班 InSchool True Boarding", "A2 东镇小学 G2 二(1)班 Suspended False Day", "B1 东镇九年制学校 G7 七(2)班 InSchool False Day",
                "C1 西乡中学 G8 八年级3班 InSchool False Day", "H2 县一中 S2 高二(1)班 InSchool False Day", "K1 西乡幼儿园 KgMiddle 中班1班 InSchool False Day",
            ],
            next.Select(e => $"{e.StudentNo} {e.School} {e.Grade} {e.Class} {e.Status} {e.LeftBehind} {e.Boarding}"));
        var classes = (await check.Classes.Where(c => c.Year == Y).Select(c => new { School = c.School.Name, c.Grade, c.Name }).ToListAsync())
            .Select(c => $"{c.School} {c.Grade} {c.Name}").ToList();
        Assert.Equal(
            new[] { "东镇九年制学校 G7 七(2)班", "西乡幼儿园 KgMiddle 中班1班", "东镇小学 G2 二(1)班", "西乡中学 G8 八年级3班", "县一中 S2 高二(1)班" }.Order(StringComparer.Ordinal),
            classes.Order(StringComparer.Ordinal));
        var graduates = await check.Enrollments.Where(e => e.Year == Y - 1 && e.Status == EnrollmentStatus.Graduated)
            .OrderBy(e => e.Student.StudentNo).Select(e => e.Student.StudentNo).ToListAsync();
        Assert.Equal(["A3", "B2", "C2", "H1", "K2"], graduates);
        var events = await check.StatusEvents.OrderBy(e => e.Student.StudentNo).Select(e => new { e.Student.StudentNo, e.Year, e.Date, e.Kind }).ToListAsync();
        Assert.Equal(["A3", "B2", "C2", "H1", "K2"], events.Select(e => e.StudentNo));
        Assert.All(events, e => Assert.Equal((Y - 1, new DateOnly(Y, 6, 30), StatusEventKind.Graduate), (e.Year, e.Date, e.Kind)));
        // The transferred-out pupil and the closed school's pupil are left alone.
        Assert.Equal(EnrollmentStatus.TransferredOut, await check.Enrollments.Where(e => e.Student.StudentNo == "A4").Select(e => e.Status).SingleAsync());
        Assert.Equal(EnrollmentStatus.InSchool, await check.Enrollments.Where(e => e.Student.StudentNo == "X1").Select(e => e.Status).SingleAsync());
        Assert.Equal(["东镇九年制学校", "东镇小学", "县一中", "西乡中学", "西乡幼儿园"],
            (await check.StaffAssignments.Where(a => a.Year == Y).Select(a => a.School.Name).ToListAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(new DateOnly(Y, 9, 1), (await check.SchoolYears.SingleAsync(y => y.Year == Y)).CountDate);
        Assert.Equal(0, await check.TeachingAssignments.CountAsync(a => a.Year == Y));
        var audit = await check.AuditLog.SingleAsync(a => a.Action == "开启学年");
        Assert.Contains("升级 6，毕业 5，班级 5，教职工 5", audit.Changes);
        // The counts the preview promised are the rows written.
        Assert.Equal(preview.Total, new RolloverCounts(
            await check.Enrollments.CountAsync(e => e.Year == Y), graduates.Count, await check.Classes.CountAsync(c => c.Year == Y), await check.StaffAssignments.CountAsync(a => a.Year == Y)));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_Twice_SecondRunChangesNothing(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var seed = db.Open()) await YearCounty.SeedAsync(seed);
        await using (var ctx = db.Open()) await OpenSchoolYear.RunAsync(ctx, Y, new RolloverOptions(new DateOnly(Y, 7, 5)));
        string before;
        await using (var ctx = db.Open()) before = await YearCounty.ChecksumAsync(ctx);

        OpenYearResult again;
        await using (var ctx = db.Open()) again = await OpenSchoolYear.RunAsync(ctx, Y);

        Assert.False(again.Written);
        Assert.Equal(RolloverState.AlreadyOpen, again.Plan.State);
        Assert.Equal("2025学年已开启，无需变更", again.Message);
        await using var check = db.Open();
        Assert.Equal(before, await YearCounty.ChecksumAsync(check));
        Assert.All(await check.StatusEvents.ToListAsync(), e => Assert.Equal(new DateOnly(Y, 7, 5), e.Date));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_YearHasOtherData_RefusedAndNothingChanged(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var seed = db.Open())
        {
            var c = await YearCounty.SeedAsync(seed);
            // An imported 2025 pupil at the junior school (a 六年级 graduate enrolled there by import).
            var a3 = await seed.Students.SingleAsync(s => s.StudentNo == "A3");
            seed.Enrollments.Add(new Enrollment { StudentId = a3.Id, Year = Y, SchoolId = c.Schools["西乡中学"].Id, Grade = Grade.G7, CountyId = c.County.Id });
            await seed.SaveChangesAsync();
        }
        string before;
        await using (var ctx = db.Open()) before = await YearCounty.ChecksumAsync(ctx);

        OpenYearResult result;
        await using (var ctx = db.Open()) result = await OpenSchoolYear.RunAsync(ctx, Y);

        Assert.False(result.Written);
        Assert.Equal(RolloverState.OtherData, result.Plan.State);
        Assert.Equal("2025学年已有其他数据：学生 1 人、教职工 0 人，不能开启新学年", result.Message);
        await using var check = db.Open();
        Assert.Equal(before, await YearCounty.ChecksumAsync(check));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_PreviousYearWithoutRosters_Refused(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var seed = db.Open()) await YearCounty.SeedAsync(seed);
        string before;
        await using (var ctx = db.Open()) before = await YearCounty.ChecksumAsync(ctx);

        OpenYearResult result;
        await using (var ctx = db.Open()) result = await OpenSchoolYear.RunAsync(ctx, 2026);

        Assert.Equal(RolloverState.NoRosters, result.Plan.State);
        Assert.Equal("2025学年没有学生名册，不能开启2026学年", result.Message);
        await using var check = db.Open();
        Assert.Equal(before, await YearCounty.ChecksumAsync(check));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_NotBureauAdmin_Refused(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        YearCounty c;
        await using (var seed = db.Open()) c = await YearCounty.SeedAsync(seed);
        await using var ctx = db.Open(UserScope.ForUser("xz", Roles.Township, c.County.Id, c.County.Path));

        await Assert.ThrowsAsync<ScopeViolationException>(() => OpenSchoolYear.RunAsync(ctx, Y));
        Assert.False(await ctx.SchoolYears.AnyAsync(y => y.Year == Y));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task List_AfterRollover_NewestFirstWithCounts(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var seed = db.Open()) await YearCounty.SeedAsync(seed);
        await using (var ctx = db.Open()) await OpenSchoolYear.RunAsync(ctx, Y);

        await using var check = db.Open();
        var list = await OpenSchoolYear.ListAsync(check);

        // 2024: 13 pupils minus A4 (转出) minus 5 graduates = 7 在校 (incl. the closed school's X1); 10 classes; 6 staff.
        Assert.Equal([new YearSummary(2025, true, 6, 5, 5), new YearSummary(2024, true, 7, 10, 6)], list);
    }
}
