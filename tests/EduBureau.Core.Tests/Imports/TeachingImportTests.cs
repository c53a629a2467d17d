using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Imports;

/// <summary>任课教师: which teacher teaches which subject in which class, checked against the class and staff rosters.</summary>
public class TeachingImportTests
{
    private const int Year = TinyCounty.Year;
    private static readonly string[] Headers = [.. Template.For(ImportEntity.Teaching).Columns.Select(c => c.Header)];

    /// <summary>TinyCounty + classes 三(1)班 and 三(2)班 of 东镇小学 this year, 李老师 (T1) and 王老师 (T2) of 东镇小学, 周老师 (T3) of 西乡小学.</summary>
    private static async Task<(TestDatabase Db, TinyCounty County)> SeedAsync(string provider = "Sqlite")
    {
        var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open(UserScope.System());
        var c = await TinyCounty.SeedAsync(ctx);
        foreach (var name in new[] { "三(1)班", "三(2)班" })
            ctx.Classes.Add(new ClassRoom { SchoolId = c.EastPrimary.Id, Year = Year, Grade = Grade.G3, Name = name });
        foreach (var (no, name, school) in new[] { ("T1", "李老师", c.EastPrimary.Id), ("T2", "王老师", c.EastPrimary.Id), ("T3", "周老师", c.WestPrimary.Id) })
        {
            var m = new StaffMember { StaffNo = no, Name = name, Post = StaffPost.FullTimeTeacher, CountyId = c.County.Id, BirthDate = new DateOnly(1985, 1, 1) };
            m.Assignments.Add(new StaffAssignment { Year = Year, SchoolId = school, CountyId = c.County.Id });
            ctx.StaffMembers.Add(m);
        }
        await ctx.SaveChangesAsync();
        return (db, c);
    }

    private static async Task<ImportResult> ImportAsync(TestDatabase db, string path, ImportMode mode = ImportMode.Upsert, UserScope? scope = null)
    {
        await using var ctx = db.Open(scope);
        return await Importer.RunAsync(ctx, path, new ImportOptions(ImportEntity.Teaching, Year, mode));
    }

    private static async Task<List<string>> ListAsync(TestDatabase db)
    {
        await using var ctx = db.Open(UserScope.System());
        return await ctx.TeachingAssignments.OrderBy(t => t.Class.Name).ThenBy(t => t.Subject)
            .Select(t => t.Class.Name + "/" + t.Subject + "/" + t.Staff.StaffNo).ToListAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_ThenAgainThenExport_UpsertsAndRoundTrips(string provider)
    {
        var (db, _) = await SeedAsync(provider);
        await using var _d = db;
        string?[][] rows =
        [
            ["4500000001", "三年级", "三(1)班", "语文", "T1", "李老师"],
            ["4500000001", "三年级", "三(1)班", "数学", "T2", null],
            ["4500000001", "三年级", "三(2)班", "语文", "T1", "李老师"],
        ];
        var path = Write("xlsx", Headers, rows, "任课教师");

        var first = await ImportAsync(db, path);
        var again = await ImportAsync(db, path);

        Assert.True(first.Success, string.Join("\n", first.Issues.First));
        Assert.Equal((3, 3, 0), (first.Rows, first.Inserted, first.Updated));
        Assert.Equal((0, 0, 3), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(["三(1)班/数学/T2", "三(1)班/语文/T1", "三(2)班/语文/T1"], await ListAsync(db));

        var export = Path.Combine(Dir(), "导出.xlsx");
        await using (var ctx = db.Open(UserScope.System()))
        await using (var f = File.Create(export))
            Assert.Equal(3, await ExportRoster.WriteAsync(ctx, ImportEntity.Teaching, Year, f));
        using var s = RowSource.Open(export);
        Assert.Equal(Headers, s.Headers);
        var back = new List<string?[]>();
        while (s.Read()) back.Add([.. Enumerable.Range(0, Headers.Length).Select(s.Get)]);
        // The export names every teacher, so row 2 comes back with 王老师; otherwise the rows are the file's, ordered by class and subject.
        Assert.Equal([rows[1].Take(5).Append("王老师").ToArray(), rows[0], rows[2]], back);
    }

    [Fact]
    public async Task Import_BadRows_EachNamedAndNothingWritten()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        string?[][] rows =
        [
            ["4500000001", "三年级", "三(1)班", "语文", "T1", "李老师"],
            ["4500000001", "三年级", "三(9)班", "语文", "T1", null],   // row 3: no such class
            ["4500000001", "三年级", "三(2)班", "语文", "T9", null],   // row 4: no such teacher
            ["4500000001", "三年级", "三(2)班", "数学", "T2", "李老师"], // row 5: name does not match T2
            ["4500000001", "三年级", "三(1)班", "语文", "T2", null],   // row 6: 三(1)班 语文 again
            ["4500000001", "三年级", "三(2)班", "英语", "T3", null],   // row 7: 周老师 works at 西乡小学: a warning only
        ];

        var result = await ImportAsync(db, Write("csv", Headers, rows, "任课教师"));

        Assert.False(result.Success);
        Assert.Equal(
            [(3, "班级"), (4, "教职工号"), (5, "教师姓名"), (6, "学科")],
            result.Issues.First.Where(i => i.Level == IssueLevel.Error).Select(i => (i.Row, i.Column)));
        var warning = Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Warning);
        Assert.Equal((7, "教职工号"), (warning.Row, warning.Column));
        Assert.Contains("西乡小学", warning.Message);
        Assert.Contains("与第2行", result.Issues.First.Single(i => i.Row == 6).Message);
        Assert.Empty(await ListAsync(db));
    }

    [Fact]
    public async Task Import_Replace_SchoolsListBecomesTheFile()
    {
        var (db, _) = await SeedAsync();
        await using var _d = db;
        await ImportAsync(db, Write("csv", Headers,
        [
            ["4500000001", "三年级", "三(1)班", "语文", "T1", null],
            ["4500000001", "三年级", "三(2)班", "语文", "T1", null],
        ], "任课教师"));

        var result = await ImportAsync(db, Write("csv", Headers, [["4500000001", "三年级", "三(2)班", "语文", "T2", null]], "任课教师"), ImportMode.Replace);

        Assert.True(result.Success, string.Join("\n", result.Issues.First));
        Assert.Equal((0, 1, 1), (result.Inserted, result.Updated, result.Removed));
        Assert.Equal(["三(2)班/语文/T2"], await ListAsync(db));
    }

    [Fact]
    public async Task Import_SchoolUserRowForOtherSchool_IsError()
    {
        var (db, c) = await SeedAsync();
        await using var _d = db;
        var scope = UserScope.ForUser("school", Roles.School, c.WestPrimary.Id, c.WestPrimary.Path);

        var result = await ImportAsync(db, Write("csv", Headers, [["4500000001", "三年级", "三(1)班", "语文", "T1", null]], "任课教师"), scope: scope);

        Assert.False(result.Success);
        Assert.Equal("学校标识码", Assert.Single(result.Issues.First, i => i.Level == IssueLevel.Error).Column);
        Assert.Empty(await ListAsync(db));
    }
}
