using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Core.Tests.Exams;

/// <summary>
/// TinyCounty plus five 九年级 pupils and a 期末 exam (语文 100, 数学 100) with the scores of
/// <see cref="ExamAnalysisTests"/>, imported through the real CSV import:
///   J1 东镇中学 1班 90 / 80 · J2 东镇中学 1班 60 / 缺考 · J3 东镇中学 2班 30 / 50 · W1 西乡小学 1班 70 / 0 · W2 西乡小学 1班 缺考 / 100.
/// Hand figures: 语文 county mean 62.5; 东镇中学 语文 mean 60 (rank 2), 西乡小学 70 (rank 1);
/// 总分 = sum of subjects sat: 170, 60, 80, 70, 100 → county mean 96, 东镇中学 103.3 (rank 1), 西乡小学 85.
/// </summary>
public static class ExamScenario
{
    public const string Header = "学籍号,姓名,学校标识码,班级,语文,数学";

    public static readonly string[] Rows =
    [
        "J1,赵一,4500000002,1班,90,80",
        "J2,钱二,4500000002,1班,60,缺考",
        "J3,孙三,4500000002,2班,30,50",
        "W1,李四,4500000003,1班,70,0",
        "W2,周五,4500000003,1班,缺考,100",
    ];

    /// <summary>Seeds the pupils (no exam); returns the county.</summary>
    public static async Task<TinyCounty> SeedPupilsAsync(TestDatabase tdb)
    {
        await using var db = tdb.Open(UserScope.System());
        var t = await TinyCounty.SeedAsync(db);
        foreach (var row in Rows)
        {
            var c = row.Split(',');
            TinyCounty.AddPupil(db, c[0], c[1], c[2] == t.EastJunior.Code ? t.EastJunior : t.WestPrimary, Grade.G9, t.County.Id);
        }
        await db.SaveChangesAsync();
        return t;
    }

    /// <summary>Seeds pupils, creates the exam and imports the scores; returns the exam id.</summary>
    public static async Task<int> SeedAsync(TestDatabase tdb)
    {
        await SeedPupilsAsync(tdb);
        return await AddExamAsync(tdb, "期末", Rows);
    }

    public static async Task<int> AddExamAsync(TestDatabase tdb, string name, string[] rows, int month = 1)
    {
        await using var db = tdb.Open(UserScope.System());
        var exam = (await ExamStore.CreateAsync(db, name, new DateOnly(2026, month, 15), TinyCounty.Year, Grade.G9,
            [new ExamSubject { Name = "语文", FullMarks = 100 }, new ExamSubject { Name = "数学", FullMarks = 100, Order = 1 }])).ValueOrThrow();
        var result = await ImportScores.RunAsync(db, exam.Id, WriteCsv(rows));
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("\n", result.Value!.Errors));
        return exam.Id;
    }

    public static string WriteCsv(string[] rows, string name = "成绩.csv")
    {
        var dir = Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, Header + "\n" + string.Join("\n", rows) + "\n", new UTF8Encoding(false));
        return path;
    }

    public static string TempPath(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
