using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Imports;

/// <summary>
/// Issue 12: "Round trip: export then import of each of the seven rosters of a demo school reports 0 changed", and
/// imports create the school year they wrote into.
/// </summary>
public class RoundTripTests
{
    private const int DemoYear = 2025;

    /// <summary>
    /// A small 演示县 (the demo generator at a fraction of its size), then one school of it given every 学籍状态 for sure:
    /// the demo's own 转出 and 辍学 pupils where it has them, plus planted 休学, 毕业, 死亡 and a 送教上门 pupil without a
    /// class, and a few 任课教师 rows (the demo has none). Returns the school's code.
    /// </summary>
    private static async Task<string> DemoSchoolAsync(TestDatabase db, double size)
    {
        await DemoGenerator.GenerateAsync(db.Options, new DemoSettings(Seed: 12, Size: size));
        await using var ctx = db.Open();
        // The school with the most 转出 and 辍学 pupils this year (ties: the smaller code).
        var school = await ctx.Enrollments.Where(e => e.Year == DemoYear && e.Class == null
                                                      && (e.Status == EnrollmentStatus.TransferredOut || e.Status == EnrollmentStatus.DroppedOut))
            .GroupBy(e => new { e.SchoolId, e.School.Code })
            .Select(g => new { g.Key.SchoolId, g.Key.Code, Out = g.Count(e => e.Status == EnrollmentStatus.TransferredOut), Drop = g.Count(e => e.Status == EnrollmentStatus.DroppedOut) })
            .OrderByDescending(g => g.Drop > 0 ? 1 : 0).ThenByDescending(g => g.Out + g.Drop).ThenBy(g => g.Code).FirstAsync();
        var pupils = await ctx.Enrollments.Where(e => e.Year == DemoYear && e.SchoolId == school.SchoolId && e.Status == EnrollmentStatus.InSchool && e.ClassId != null)
            .OrderBy(e => e.Id).Take(6).ToListAsync();
        Assert.Equal(6, pupils.Count);
        // Leavers sit in no class, as the demo and the web app record them; a 休学 pupil keeps his class.
        pupils[0].Status = EnrollmentStatus.Suspended;
        (pupils[1].Status, pupils[1].ClassId) = (EnrollmentStatus.Graduated, null);
        (pupils[2].Status, pupils[2].ClassId) = (EnrollmentStatus.Deceased, null);
        (pupils[3].HomeSchooling, pupils[3].ClassId) = (true, null);
        if (school.Drop == 0) (pupils[4].Status, pupils[4].ClassId) = (EnrollmentStatus.DroppedOut, null);
        if (school.Out == 0) (pupils[5].Status, pupils[5].ClassId) = (EnrollmentStatus.TransferredOut, null);
        var classes = await ctx.Classes.Where(c => c.SchoolId == school.SchoolId && c.Year == DemoYear).OrderBy(c => c.Id).Take(2).ToListAsync();
        var teachers = await ctx.StaffAssignments.Where(a => a.SchoolId == school.SchoolId && a.Year == DemoYear).OrderBy(a => a.StaffId).Take(2).ToListAsync();
        foreach (var c in classes)
            foreach (var (subject, t) in new[] { ("语文", teachers[0]), ("数学", teachers[^1]) })
                ctx.TeachingAssignments.Add(new TeachingAssignment { Year = DemoYear, SchoolId = school.SchoolId, ClassId = c.Id, Subject = subject, StaffId = t.StaffId, CountyId = t.CountyId });
        await ctx.SaveChangesAsync();
        return school.Code;
    }

    /// <summary>Row counts of every table an import writes, and the row versions (a rewritten row bumps its version).</summary>
    private static async Task<string> CountsAsync(TestDatabase db)
    {
        await using var ctx = db.Open();
        long[] counts =
        [
            await ctx.Students.CountAsync(), await ctx.Enrollments.CountAsync(), await ctx.Classes.CountAsync(), await ctx.StatusEvents.CountAsync(),
            await ctx.StaffMembers.CountAsync(), await ctx.StaffAssignments.CountAsync(), await ctx.SchoolConditions.CountAsync(),
            await ctx.Population.CountAsync(), await ctx.HistoricalEnrollments.CountAsync(), await ctx.TeachingAssignments.CountAsync(),
            await ctx.Schools.CountAsync(), await ctx.OrgUnits.CountAsync(), await ctx.SchoolGroups.CountAsync(), await ctx.SchoolGroupMembers.CountAsync(),
            await ctx.SchoolYears.CountAsync(),
            await ctx.Students.SumAsync(s => (long)s.Version), await ctx.Enrollments.SumAsync(e => (long)e.Version), await ctx.StaffMembers.SumAsync(s => (long)s.Version),
        ];
        return string.Join(",", counts);
    }

    private static async Task<string> ExportAsync(TestDatabase db, ImportEntity entity, string school, string dir)
    {
        var path = Path.Combine(dir, $"{Template.For(entity).Code}-{Guid.NewGuid():N}.xlsx");
        await using var ctx = db.Open();
        await using (var f = File.Create(path)) await ExportRoster.WriteAsync(ctx, entity, DemoYear, f, entity == ImportEntity.Population ? null : school);
        return path;
    }

    /// <summary>The exported workbook's rows as a UTF-8 CSV (what "save as CSV UTF-8" gives).</summary>
    private static string ToCsv(string xlsx, ImportEntity entity)
    {
        var rows = Rows(xlsx);
        return Write("csv", [.. Template.For(entity).Columns.Select(c => c.Header)], rows, Template.For(entity).Name);
    }

    private static List<string?[]> Rows(string path)
    {
        using var s = RowSource.Open(path);
        var list = new List<string?[]>();
        while (s.Read()) list.Add([.. Enumerable.Range(0, s.Headers.Count).Select(s.Get)]);
        return list;
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_ExportThenImportEachRosterOfDemoSchool_ReportsNothingChanged(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var school = await DemoSchoolAsync(db, provider == "Sqlite" ? 0.08 : 0.03);
        var dir = Dir();
        await using (var ctx = db.Open())
        {
            var statuses = await ctx.Enrollments.Where(e => e.Year == DemoYear && e.School.Code == school).Select(e => e.Status).Distinct().ToListAsync();
            Assert.Equal(Enum.GetValues<EnrollmentStatus>().Order(), statuses.Order());
        }
        var before = await CountsAsync(db);
        var entities = new[]
        {
            ImportEntity.Schools, ImportEntity.Students, ImportEntity.Staff, ImportEntity.Conditions, ImportEntity.Population,
            ImportEntity.History, ImportEntity.Teaching,
        };

        foreach (var entity in entities)
        {
            var xlsx = await ExportAsync(db, entity, school, dir);
            var exported = Rows(xlsx);
            Assert.True(exported.Count > 0, $"{entity}: the export is empty");
            foreach (var file in new[] { xlsx, ToCsv(xlsx, entity) })
            {
                await using var ctx = db.Open();
                var result = await Importer.RunAsync(ctx, file, new ImportOptions(entity, DemoYear));

                var what = $"{entity} {Path.GetExtension(file)}: {result.Summary} {string.Join("；", result.Issues.First.Where(i => i.Level == IssueLevel.Error).Take(5))}";
                Assert.True(result.Success, what);
                Assert.Equal((exported.Count, 0, 0, exported.Count, 0), (result.Rows, result.Inserted, result.Updated, result.Unchanged, result.StatusEvents));
                Assert.Contains($"共 {exported.Count} 行，新增 0，更新 0，未变化 {exported.Count}", result.Summary);
                Assert.Equal(before, await CountsAsync(db));
            }
            // And the roster exported again is the same file content.
            Assert.Equal(exported, Rows(await ExportAsync(db, entity, school, dir)));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_LeaverRowsWithoutClass_ImportAndKeepNoClass(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        // No class exists this year at 东镇小学 for these rows: 转出, 辍学, 毕业 and 死亡 without 班级, and a 送教上门 pupil.
        var rows = new[]
        {
            Pupil("L1", seq: 11, status: "转出").With("班级", null),
            Pupil("L2", seq: 13, status: "辍学").With("班级", null),
            Pupil("L3", seq: 15, status: "毕业").With("班级", null),
            Pupil("L4", seq: 17, status: "死亡").With("班级", null),
            Pupil("L5", seq: 19).With("班级", null).With("送教上门", "是"),
        };
        await using (var ctx = db.Open())
        {
            var result = await Importer.RunAsync(ctx, Write("xlsx", StudentHeaders, rows), new ImportOptions(ImportEntity.Students, TinyCounty.Year));
            Assert.True(result.Success, string.Join("\n", result.Issues.First));
            Assert.Equal((5, 5, 0), (result.Rows, result.Inserted, result.Issues.Warnings));
        }
        await using (var ctx = db.Open())
        {
            var written = await ctx.Enrollments.Where(e => e.Student.StudentNo.StartsWith("L")).OrderBy(e => e.Student.StudentNo)
                .Select(e => new { e.Status, e.ClassId }).ToListAsync();
            Assert.Equal([EnrollmentStatus.TransferredOut, EnrollmentStatus.DroppedOut, EnrollmentStatus.Graduated, EnrollmentStatus.Deceased, EnrollmentStatus.InSchool],
                written.Select(e => e.Status));
            Assert.All(written, e => Assert.Null(e.ClassId));
            Assert.Equal(0, await ctx.Classes.CountAsync());
        }

        // Existing pupils: G1 (在读, in no class in TinyCounty) leaves as 转出 without a class; the same file again changes nothing.
        var again = Write("csv", StudentHeaders, [.. rows, Pupil("G1", "张一", Grade.G1, cls: null!, seq: 21, status: "转出", withId: false)]);
        await using (var ctx = db.Open())
        {
            var result = await Importer.RunAsync(ctx, again, new ImportOptions(ImportEntity.Students, TinyCounty.Year));
            Assert.True(result.Success, string.Join("\n", result.Issues.First));
            Assert.Equal((0, 1, 5, 1), (result.Inserted, result.Updated, result.Unchanged, result.StatusEvents));
        }
        await using (var ctx = db.Open())
        {
            var result = await Importer.RunAsync(ctx, again, new ImportOptions(ImportEntity.Students, TinyCounty.Year));
            Assert.True(result.Success, string.Join("\n", result.Issues.First));
            Assert.Equal((0, 0, 6, 0), (result.Inserted, result.Updated, result.Unchanged, result.StatusEvents));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_OneValueChangedPerRow_CountsOnlyThoseRowsAsUpdatedAndRewritesOnlyThem(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        var rows = new[] { Pupil("N1", seq: 11), Pupil("N2", seq: 13), Pupil("N3", seq: 15), Pupil("N4", seq: 17), Pupil("N5", seq: 19) };
        async Task<ImportResult> Run(IEnumerable<string?[]> file)
        {
            await using var ctx = db.Open();
            var r = await Importer.RunAsync(ctx, Write("csv", StudentHeaders, file), new ImportOptions(ImportEntity.Students, TinyCounty.Year));
            Assert.True(r.Success, string.Join("\n", r.Issues.First));
            return r;
        }
        async Task<Dictionary<string, (int, int)>> Versions()
        {
            await using var ctx = db.Open();
            return await ctx.Enrollments.Where(e => e.Student.StudentNo.StartsWith("N"))
                .Select(e => new { e.Student.StudentNo, Pupil = e.Student.Version, e.Version })
                .ToDictionaryAsync(e => e.StudentNo, e => (e.Pupil, e.Version));
        }
        await Run(rows);
        var before = await Versions();

        // N1: an enrolment flag; N2: a pupil field; N3: the class; N4: 学籍状态 (one history entry); N5 as it was.
        var result = await Run([rows[0].With("低保", "是"), rows[1].With("民族", "壮族"), rows[2].With("班级", "三(2)班"), rows[3].With("学籍状态", "休学"), rows[4]]);

        Assert.Equal((0, 4, 1, 1), (result.Inserted, result.Updated, result.Unchanged, result.StatusEvents));
        var after = await Versions();
        Assert.Equal(before["N5"], after["N5"]);
        foreach (var no in new[] { "N1", "N2", "N3", "N4" }) Assert.NotEqual(before[no], after[no]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_ReplaceWithUnchangedRows_KeepsThemAndRemovesOnlyTheUnlisted(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx); // 东镇小学 has G1 and G2 在读
        var file = Write("xlsx", StudentHeaders, [Pupil("N1", seq: 11), Pupil("N2", seq: 13)]);
        async Task<ImportResult> Run(ImportMode mode)
        {
            await using var ctx = db.Open();
            var r = await Importer.RunAsync(ctx, file, new ImportOptions(ImportEntity.Students, TinyCounty.Year, mode));
            Assert.True(r.Success, string.Join("\n", r.Issues.First));
            return r;
        }

        await Run(ImportMode.Upsert);
        var replace = await Run(ImportMode.Replace); // N1 and N2 unchanged, G1 and G2 no longer listed
        var again = await Run(ImportMode.Replace);

        Assert.Equal((0, 0, 2, 2), (replace.Inserted, replace.Updated, replace.Unchanged, replace.Removed));
        Assert.Equal((0, 0, 2, 0), (again.Inserted, again.Updated, again.Unchanged, again.Removed));
        await using var c = db.Open();
        var statuses = await c.Enrollments.Where(e => e.School.Code == "4500000001").OrderBy(e => e.Student.StudentNo)
            .Select(e => new { e.Student.StudentNo, e.Status }).ToListAsync();
        Assert.Equal([("G1", EnrollmentStatus.TransferredOut), ("G2", EnrollmentStatus.TransferredOut), ("N1", EnrollmentStatus.InSchool), ("N2", EnrollmentStatus.InSchool)],
            statuses.Select(s => (s.StudentNo, s.Status)));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_InSchoolRowWithoutClass_IsStillAnError(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        await using var c = db.Open();

        var result = await Importer.RunAsync(c, Write("xlsx", StudentHeaders, [Pupil("N1").With("班级", null), Pupil("N2", seq: 13, status: "休学").With("班级", null),
            Pupil("N3", seq: 15, status: "转出").With("班级", null).With("年级", null)]), new ImportOptions(ImportEntity.Students, TinyCounty.Year));

        Assert.False(result.Success);
        var errors = result.Issues.First.Where(i => i.Level == IssueLevel.Error).Select(i => (i.Row, i.Column, i.Message)).ToList();
        const string needsClass = "必填项为空（在读、休学的学生须填写班级；转出、辍学、毕业、死亡或送教上门的学生可留空）";
        Assert.Equal([(2, "班级", needsClass), (3, "班级", needsClass), (4, "年级", "必填项为空")], errors);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_NewAndExistingPupilsInOneFile_EachGetsOneEnrolment_AndLaterInsertsGetFreshIds(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        await using (var ctx = db.Open())
            Assert.True((await Importer.RunAsync(ctx, Write("csv", StudentHeaders, [Pupil("E1"), Pupil("E2", seq: 13)]),
                new ImportOptions(ImportEntity.Students, TinyCounty.Year))).Success);

        // PostgreSQL writes new pupils with ids taken from the sequence up front, existing ones by upsert.
        var file = Write("csv", StudentHeaders, [Pupil("N1", seq: 15), Pupil("E1", name: "赵小明改"), Pupil("N2", seq: 17), Pupil("E2", seq: 13)]);
        await using (var ctx = db.Open())
        {
            var result = await Importer.RunAsync(ctx, file, new ImportOptions(ImportEntity.Students, TinyCounty.Year));
            Assert.True(result.Success, string.Join("\n", result.Issues.First));
            Assert.Equal((2, 1, 1), (result.Inserted, result.Updated, result.Unchanged));
        }
        await using (var ctx = db.Open())
        {
            string[] nos = ["E1", "E2", "N1", "N2"];
            var pupils = await ctx.Students.Where(p => nos.Contains(p.StudentNo))
                .Select(p => new { p.Id, p.StudentNo, p.Name, Enrolments = p.Enrollments.Count(e => e.Year == TinyCounty.Year) }).ToListAsync();
            Assert.Equal(nos, pupils.Select(p => p.StudentNo).Order());
            Assert.All(pupils, p => Assert.Equal(1, p.Enrolments));
            Assert.Equal("赵小明改", pupils.Single(p => p.StudentNo == "E1").Name);
            // New pupils in file order, after the existing ones.
            var id = pupils.ToDictionary(p => p.StudentNo, p => p.Id);
            Assert.True(id["E2"] < id["N1"] && id["N1"] < id["N2"]);

            // A pupil added afterwards through the context does not collide with the ids the import took.
            var school = await ctx.Schools.FirstAsync();
            ctx.Students.Add(new Student { StudentNo = "G450000000000000999", Name = "后来者", Gender = Gender.Female, BirthDate = new DateOnly(2017, 1, 1), CountyId = school.CountyId });
            await ctx.SaveChangesAsync();
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_RosterOf2024OnEmptyDatabase_Makes2024ASchoolYear(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx); // has the school year 2025 only
        var good = Write("csv", StudentHeaders, [Pupil("N1")]);
        var bad = Write("csv", StudentHeaders, [Pupil("N2", seq: 13), Pupil("N3", seq: 15).With("性别", "男性")]);

        await using (var ctx = db.Open())
        {
            var failed = await Importer.RunAsync(ctx, bad, new ImportOptions(ImportEntity.Students, 2024));
            Assert.False(failed.Success);
            Assert.Empty(failed.YearsCreated);
        }
        await using (var ctx = db.Open()) Assert.Equal([2025], await ctx.SchoolYears.Select(y => y.Year).ToListAsync());

        await using (var ctx = db.Open())
        {
            var result = await Importer.RunAsync(ctx, good, new ImportOptions(ImportEntity.Students, 2024));
            Assert.True(result.Success, string.Join("\n", result.Issues.First));
            Assert.Equal([2024], result.YearsCreated);
            Assert.Contains("新建学年 2024", result.Summary);
        }
        await using (var ctx = db.Open())
        {
            var years = await ctx.SchoolYears.OrderBy(y => y.Year).ToListAsync();
            Assert.Equal([(2024, new DateOnly(2024, 9, 1)), (2025, new DateOnly(2025, 9, 1))], years.Select(y => (y.Year, y.CountDate)));
            var audit = await ctx.AuditLog.Where(a => a.Action == "导入").Select(a => a.Changes!).SingleAsync();
            Assert.Contains("\"yearsCreated\":[2024]", audit);
        }
        // The same file again: the year exists, nothing is created twice.
        await using (var ctx = db.Open())
        {
            var result = await Importer.RunAsync(ctx, good, new ImportOptions(ImportEntity.Students, 2024));
            Assert.True(result.Success);
            Assert.Empty(result.YearsCreated);
            Assert.Equal((0, 0, 1), (result.Inserted, result.Updated, result.Unchanged));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_CountTables_CreateTheImportsYearButNotHistoryYears(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx); // school year 2025
        string[] H(ImportEntity e) => [.. Template.For(e).Columns.Select(c => c.Header)];

        async Task<ImportResult> Run(ImportEntity e, int year, List<string?[]> rows)
        {
            await using var ctx = db.Open();
            var r = await Importer.RunAsync(ctx, Write("csv", H(e), rows, Template.For(e).Name), new ImportOptions(e, year));
            Assert.True(r.Success, string.Join("\n", r.Issues.First));
            return r;
        }

        // 历年在校生 back to 2015, imported for 2026: no year at all.
        var history = await Run(ImportEntity.History, 2026, [["4500000001", "2015", "一年级", "40", null, "41"], ["4500000001", "2026", "一年级", "40", null, "41"]]);
        // 办学条件 for 2026 with a row of 2023 too: 2026 only.
        var conditions = await Run(ImportEntity.Conditions, 2026, [["4500000001", "2026", "12000", "5400", "9000", "260", "30", null, null], ["4500000001", "2023", "12000", "5400", "9000", "260", "30", null, null]]);
        // 适龄人口 for 2027: 2027; a population table of other years only, imported for 2028: none.
        var population = await Run(ImportEntity.Population, 2027, [["东镇", "2027", "6", "820", "3"], ["东镇", "2019", "6", "800", null]]);
        var other = await Run(ImportEntity.Population, 2028, [["西乡", "2020", "6", "500", null]]);

        Assert.Empty(history.YearsCreated);
        Assert.Equal([2026], conditions.YearsCreated);
        Assert.Equal([2027], population.YearsCreated);
        Assert.Empty(other.YearsCreated);
        await using var c = db.Open();
        Assert.Equal([2025, 2026, 2027], await c.SchoolYears.OrderBy(y => y.Year).Select(y => y.Year).ToListAsync());
    }
}
