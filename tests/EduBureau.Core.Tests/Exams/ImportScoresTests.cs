using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Core.Tests.Exams;

/// <summary>
/// Score import on a real database: TinyCounty plus three 九年级 pupils of 东镇中学 (J1, J2, and 2025000009 whose
/// 学籍号 is all digits, to be typed as a number in Excel) and one of 西乡小学 (W9).
/// </summary>
public class ImportScoresTests
{
    private static async Task<(TestDatabase Db, TinyCounty County, int ExamId)> SeedAsync(string provider)
    {
        var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.Open(UserScope.System());
        var t = await TinyCounty.SeedAsync(db);
        TinyCounty.AddPupil(db, "J1", "赵甲", t.EastJunior, Grade.G9, t.County.Id);
        TinyCounty.AddPupil(db, "J2", "钱乙", t.EastJunior, Grade.G9, t.County.Id);
        TinyCounty.AddPupil(db, "2025000009", "孙丙", t.EastJunior, Grade.G9, t.County.Id);
        TinyCounty.AddPupil(db, "W9", "周丁", t.WestPrimary, Grade.G9, t.County.Id);
        await db.SaveChangesAsync();
        var exam = (await ExamStore.CreateAsync(db, "期末", new DateOnly(2026, 1, 15), TinyCounty.Year, Grade.G9,
            [new ExamSubject { Name = "语文", FullMarks = 120 }, new ExamSubject { Name = "数学", FullMarks = 100, Order = 1 }])).ValueOrThrow();
        return (tdb, t, exam.Id);
    }

    private static string TempFile(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    private static string Csv(string name, params string[] lines)
    {
        var path = TempFile(name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    private static async Task<List<Score>> ScoresAsync(TestDatabase tdb, int examId)
    {
        await using var db = tdb.Open(UserScope.System());
        return await db.Set<Score>().Include(s => s.Student).Where(s => s.ExamId == examId).ToListAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_ValidCsv_StoresScoresWithFlagsAndSkipsEmptyCells(string provider)
    {
        var (tdb, _, examId) = await SeedAsync(provider);
        await using var _d = tdb;
        var file = Csv("成绩.csv",
            "学籍号,姓名,学校标识码,班级,语文,数学,备注",
            "J1,赵甲,4500000002,1班,118.5,0,",
            "J2,钱乙,4500000002,1班,缺考,免考,",
            "2025000009,孙丙,4500000002,2班,作弊,");

        await using var db = tdb.Open(UserScope.System());
        var result = await ImportScores.RunAsync(db, examId, file);

        Assert.True(result.Succeeded, string.Join("\n", result.Value!.Errors));
        Assert.Equal(3, result.Value!.Rows);
        Assert.Equal(5, result.Value!.Scores); // 孙丙's empty 数学 is no row at all
        Assert.Contains(result.Value!.Warnings, w => w.Column == "备注");
        var scores = await ScoresAsync(tdb, examId);
        Assert.Equal(5, scores.Count);
        var j1 = scores.Where(s => s.Student.StudentNo == "J1").OrderBy(s => s.SubjectId).ToList();
        Assert.Equal([118.5, 0.0], j1.Select(s => s.Value!.Value));
        Assert.All(j1, s => Assert.Equal(ScoreFlag.Normal, s.Flag));
        var j2 = scores.Where(s => s.Student.StudentNo == "J2").OrderBy(s => s.SubjectId).ToList();
        Assert.Equal([ScoreFlag.Absent, ScoreFlag.Exempt], j2.Select(s => s.Flag));
        Assert.All(j2, s => Assert.Null(s.Value)); // absent is never stored as 0
        var p3 = Assert.Single(scores, s => s.Student.StudentNo == "2025000009");
        Assert.Equal(ScoreFlag.Cheating, p3.Flag);
        Assert.Equal("2班", p3.ClassName);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_XlsxWithNumericStudentNo_ReadsDigitsAndLoadsForAnalysis(string provider)
    {
        var (tdb, _, examId) = await SeedAsync(provider);
        await using var _d = tdb;
        var file = TempFile("成绩.xlsx");
        MiniExcel.SaveAs(file, new[]
        {
            new Dictionary<string, object?> { ["学籍号"] = 2025000009L, ["姓名"] = "孙丙", ["学校标识码"] = 4500000002L, ["班级"] = "2班", ["语文"] = 96, ["数学"] = "缺考" },
            new Dictionary<string, object?> { ["学籍号"] = "J1", ["姓名"] = "赵甲", ["学校标识码"] = "4500000002", ["班级"] = "1班", ["语文"] = 60, ["数学"] = 75.5 },
        });

        await using var db = tdb.Open(UserScope.System());
        var result = await ImportScores.RunAsync(db, examId, file);

        Assert.True(result.Succeeded, string.Join("\n", result.Value!.Errors));
        Assert.Equal(4, result.Value!.Scores);
        var (_, data) = await ExamStore.LoadAsync(db, examId);
        var r = ExamAnalysis.Analyze(data);
        // 语文: 96 and 60 → mean 78; 数学: 75.5 sat, 1 缺考.
        Assert.Equal(78, r.County(0).Mean!.Value, 9);
        Assert.Equal(1, r.County(1).Sat);
        Assert.Equal(1, r.County(1).Absent);
        Assert.Equal(75.5, r.County(1).Mean!.Value, 9);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_InvalidRows_ReportsEachErrorWithFileRowColumnAndWritesNothing(string provider)
    {
        var (tdb, _, examId) = await SeedAsync(provider);
        await using var _d = tdb;
        await using (var db0 = tdb.Open(UserScope.System()))
            Assert.True((await ImportScores.RunAsync(db0, examId, Csv("旧.csv", "学籍号,姓名,学校标识码,班级,语文", "J1,赵甲,4500000002,1班,50"))).Succeeded);
        var file = Csv("坏.csv",
            "学籍号,姓名,学校标识码,班级,语文,数学",
            "J1,赵甲,4500000002,1班,121,50",      // row 2: 语文 above 120
            "J2,钱乙,4500000002,1班,-1,50",       // row 3: negative
            "X404,无名,4500000002,1班,80,80",     // row 4: unknown pupil
            "J1,赵甲,4500000002,1班,80,80",       // row 5: J1 twice
            "W9,周丁,4500000002,1班,80,80",       // row 6: W9 is enrolled at 4500000003
            "J2,钱乙,4500000002,1班,80,八十");     // row 7: J2 twice and not a score

        await using var db = tdb.Open(UserScope.System());
        var result = await ImportScores.RunAsync(db, examId, file);

        Assert.False(result.Succeeded);
        var messages = result.Value!.Errors.Select(e => e.ToString()).ToList();
        void Has(int row, string column, string text) =>
            Assert.Contains(messages, m => m.Contains("坏.csv") && m.Contains($"第 {row} 行“{column}”列") && m.Contains(text));
        Has(2, "语文", "超过满分 120");
        Has(3, "语文", "不能为负");
        Has(4, "学籍号", ImportScores.NotInScopeMessage);
        Has(5, "学籍号", "与第 2 行是同一学生");
        Has(6, "学校标识码", "不一致");
        Has(7, "学籍号", "与第 3 行是同一学生");
        Has(7, "数学", "缺考");
        Assert.Equal(7, result.Value!.Errors.Count);
        // All or nothing: the earlier import is untouched.
        var kept = Assert.Single(await ScoresAsync(tdb, examId));
        Assert.Equal(50, kept.Value);
    }

    [Fact]
    public async Task RunAsync_MissingRequiredColumn_NamesTheColumn()
    {
        var (tdb, _, examId) = await SeedAsync("Sqlite");
        await using var _d = tdb;
        await using var db = tdb.Open(UserScope.System());

        var result = await ImportScores.RunAsync(db, examId, Csv("缺列.csv", "学籍号,姓名,班级,语文", "J1,赵甲,1班,80"));

        Assert.False(result.Succeeded);
        Assert.Contains("缺少必需的列：学校标识码", Assert.Single(result.Value!.Errors).ToString());
        Assert.Contains("缺列.csv", result.Value!.Errors[0].ToString());
    }

    [Fact]
    public async Task RunAsync_SchoolUser_ReplacesOnlyItsOwnSchoolAndRefusesOthers()
    {
        var (tdb, t, examId) = await SeedAsync("Sqlite");
        await using var _d = tdb;
        await using (var db0 = tdb.Open(UserScope.System()))
            Assert.True((await ImportScores.RunAsync(db0, examId, Csv("全县.csv", "学籍号,姓名,学校标识码,班级,语文",
                "J1,赵甲,4500000002,1班,50", "W9,周丁,4500000003,1班,70"))).Succeeded);
        var school = UserScope.ForUser("zx", Roles.School, t.EastJunior.Id, t.EastJunior.Path);

        await using var db = tdb.Open(school);
        var ok = await ImportScores.RunAsync(db, examId, Csv("东镇中学.csv", "学籍号,姓名,学校标识码,班级,语文", "J2,钱乙,4500000002,1班,88"));
        var refused = await ImportScores.RunAsync(db, examId, Csv("越权.csv", "学籍号,姓名,学校标识码,班级,语文", "W9,周丁,4500000003,1班,99"));

        Assert.True(ok.Succeeded, string.Join("\n", ok.Value!.Errors));
        Assert.False(refused.Succeeded);
        Assert.Contains(refused.Value!.Errors, e => e.Message.Contains("无权导入"));
        // Issue #14: another school's pupil is "not there" for this user, in the words used for an unknown number.
        Assert.Contains(refused.Value!.Errors, e => e.Column == "学籍号" && e.Message == ImportScores.NotInScopeMessage);
        var scores = await ScoresAsync(tdb, examId);
        // J1 (same school) was replaced by J2; 西乡小学's W9 is untouched.
        Assert.Equal(["J2:88", "W9:70"], scores.Select(s => $"{s.Student.StudentNo}:{s.Value}").Order());
    }
}
