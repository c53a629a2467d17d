using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using EduBureau.Core.Exams;
using EduBureau.Core.Tests.Exams;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Cli.Tests;

public class ExamCommandTests
{
    private static async Task<int> CreateViaCliAsync(TestDatabase db)
    {
        var r = await EduCli.RunAsync("exam", "create", "--db", db.Options.SqliteFile!, "--name", "期末", "--date", "2026-01-15",
            "--year", "2025", "--grade", "九年级", "--subjects", "语文:100,数学:100");
        Assert.True(r.ExitCode == 0, r.Err);
        await using var ctx = db.Open();
        return await ctx.Set<Exam>().Select(e => e.Id).SingleAsync();
    }

    [Fact]
    public async Task ExamCreateImportAnalyse_Scenario_JsonHasHandComputedSchoolFigures()
    {
        await using var db = await TestDatabase.CreateAsync();
        await ExamScenario.SeedPupilsAsync(db);
        var examId = await CreateViaCliAsync(db);
        var csv = ExamScenario.WriteCsv(ExamScenario.Rows);

        var import = await EduCli.RunAsync("exam", "import", "--db", db.Options.SqliteFile!, "--exam", $"{examId}", "--file", csv);
        var analyse = await EduCli.RunAsync("exam", "analyse", "--db", db.Options.SqliteFile!, "--exam", $"{examId}", "--level", "school", "--format", "json");

        Assert.True(import.ExitCode == 0, import.Err);
        Assert.Contains("已导入 5 名学生的 10 条成绩", import.Out); // 缺考 cells are rows too (flagged, no value)
        Assert.True(analyse.ExitCode == 0, analyse.Err);
        var rows = JsonDocument.Parse(analyse.Out).RootElement.EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal("school", r.GetProperty("level").GetString()));
        var east = rows.Single(r => r.GetProperty("unit").GetString() == "东镇中学" && r.GetProperty("subject").GetString() == "语文");
        Assert.Equal(3, east.GetProperty("sat").GetInt32());
        Assert.Equal(60, east.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(2, east.GetProperty("rank").GetInt32());
        // 90, 60, 30: pass ≥ 60 → 2/3; excellent ≥ 85 → 1/3; low < 40 → 1/3 (percentages).
        Assert.Equal(200.0 / 3, east.GetProperty("passRate").GetDouble(), 9);
        Assert.Equal(100.0 / 3, east.GetProperty("excellentRate").GetDouble(), 9);
        Assert.Equal(100.0 / 3, east.GetProperty("lowRate").GetDouble(), 9);
        var westMath = rows.Single(r => r.GetProperty("unit").GetString() == "西乡小学" && r.GetProperty("subject").GetString() == "数学");
        Assert.Equal(2, westMath.GetProperty("sat").GetInt32());
        Assert.Equal(50, westMath.GetProperty("mean").GetDouble(), 9); // 0 and 100: a real 0 counts
        Assert.Equal(JsonValueKind.Null, westMath.GetProperty("valueAdded").ValueKind);
    }

    [Fact]
    public async Task ExamImport_BadFile_FailsWithFileRowColumnAndWritesNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await ExamScenario.SeedPupilsAsync(db);
        var examId = await CreateViaCliAsync(db);
        var csv = ExamScenario.WriteCsv(["J1,赵一,4500000002,1班,90,180", "J2,钱二,4500000002,1班,60,缺考"], "三班成绩.csv");

        var r = await EduCli.RunAsync("exam", "import", "--db", db.Options.SqliteFile!, "--exam", $"{examId}", "--file", csv);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("文件“三班成绩.csv”第 2 行“数学”列（值“180”）：分数超过满分 100", r.Err);
        Assert.Contains("未导入任何成绩", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        await using var ctx = db.Open();
        Assert.Equal(0, await ctx.Set<Score>().CountAsync());
    }

    [Fact]
    public async Task ExamCreate_FromJsonSpec_StoresThresholdsAndTotalFlags()
    {
        await using var db = await TestDatabase.CreateAsync();
        await ExamScenario.SeedPupilsAsync(db);
        var spec = ExamScenario.TempPath("exam.json");
        await File.WriteAllTextAsync(spec, """
            {"name":"八年级期末","date":"2025-07-01","year":2024,"grade":"八年级",
             "subjects":[{"name":"语文","fullMarks":120,"excellent":0.8},{"name":"体育","fullMarks":60,"countsInTotal":false},
                         {"name":"数学","fullMarks":120,"excellentTop":0.2}]}
            """);

        var r = await EduCli.RunAsync("exam", "create", "--db", db.Options.SqliteFile!, "--spec", spec);

        Assert.True(r.ExitCode == 0, r.Err);
        await using var ctx = db.Open();
        var exam = await ctx.Set<Exam>().Include(e => e.Subjects).SingleAsync();
        Assert.Equal(2024, exam.Year);
        var s = exam.Subjects.OrderBy(x => x.Order).ToList();
        Assert.Equal(["语文", "体育", "数学"], s.Select(x => x.Name));
        Assert.Equal(0.8, s[0].ExcellentFraction);
        Assert.False(s[1].CountsInTotal);
        Assert.Equal(0.2, s[2].ExcellentTopFraction);
    }

    [Fact]
    public async Task ExamCreate_UnknownGrade_RefusedInChinese()
    {
        await using var db = await TestDatabase.CreateAsync();
        await ExamScenario.SeedPupilsAsync(db);

        var r = await EduCli.RunAsync("exam", "create", "--db", db.Options.SqliteFile!, "--name", "x", "--date", "2026-01-15",
            "--year", "2025", "--grade", "十年级", "--subjects", "语文:100");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("年级“十年级”无法识别", r.Err);
    }

    [Fact]
    public async Task ExamReport_WithVs_WritesWorkbookAndDocx()
    {
        await using var db = await TestDatabase.CreateAsync();
        var now = await ExamScenario.SeedAsync(db);
        var before = await ExamScenario.AddExamAsync(db, "期中", ExamScenario.Rows, month: 11);
        var xlsx = ExamScenario.TempPath("报表.xlsx");
        var docx = ExamScenario.TempPath("报告.docx");

        var r = await EduCli.RunAsync("exam", "report", "--db", db.Options.SqliteFile!, "--exam", $"{now}", "--vs", $"{before}",
            "--xlsx", xlsx, "--docx", docx);

        Assert.True(r.ExitCode == 0, r.Err);
        var va = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "增值").Cast<IDictionary<string, object?>>()
            .Single(x => (string?)x["层级"] == "学校" && (string?)x["单位"] == "东镇中学" && (string?)x["科目"] == "总分");
        Assert.Equal(3, Convert.ToInt32(va["两次都参加人数"]));
        using var doc = WordprocessingDocument.Open(docx, false);
        Assert.Contains("参照考试：期中", doc.MainDocumentPart!.Document.Body!.InnerText);
    }

    [Fact]
    public async Task ExamReport_NoCjkFont_WarnsAndLeavesChartsOutInsteadOfBoxes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var exam = await ExamScenario.SeedAsync(db);
        var docx = ExamScenario.TempPath("报告.docx");

        var r = await EduCli.RunWithEnvAsync(new Dictionary<string, string> { [ExamCharts.FontVariable] = "/nonexistent/font.ttc" },
            "exam", "report", "--db", db.Options.SqliteFile!, "--exam", $"{exam}", "--docx", docx);

        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("警告：未找到中文字体", r.Err);
        Assert.Contains("fonts-noto-cjk", r.Err);
        using var doc = WordprocessingDocument.Open(docx, false);
        Assert.Empty(doc.MainDocumentPart!.ImageParts);
        Assert.Contains("未找到中文字体，图表已省略", doc.MainDocumentPart.Document.Body!.InnerText);
    }

    [Fact]
    public async Task ExamAnalyse_BandPointsAndCriticalRank_JsonAndWorkbookFollowTheOptions()
    {
        await using var db = await TestDatabase.CreateAsync();
        var exam = await ExamScenario.SeedAsync(db);
        var xlsx = ExamScenario.TempPath("报表.xlsx");

        var r = await EduCli.RunAsync("exam", "analyse", "--db", db.Options.SqliteFile!, "--exam", $"{exam}", "--by", "county",
            "--band-points", "25");
        var w = await EduCli.RunAsync("exam", "report", "--db", db.Options.SqliteFile!, "--exam", $"{exam}", "--xlsx", xlsx,
            "--critical-rank", "4", "--critical-within-ranks", "1");

        Assert.True(r.ExitCode == 0, r.Err);
        var chinese = JsonDocument.Parse(r.Out).RootElement.EnumerateArray().Single(x => x.GetProperty("subject").GetString() == "语文");
        // 语文 90, 60, 30, 70 in 25-point bands: [0,25) 0, [25,50) 1, [50,75) 2, [75,100] 1.
        Assert.Equal(25, chinese.GetProperty("bandWidth").GetDouble());
        Assert.Equal([0, 1, 2, 1], chinese.GetProperty("bands").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(4, chinese.GetProperty("topN").GetProperty("100").GetInt32());
        Assert.True(w.ExitCode == 0, w.Err);
        // 总分 ranks 170 J1, 100 W2, 80 J3, 70 W1, 60 J2: rank 4 ± 1 → 钱二 (J2), 孙三 (J3), 李四 (W1).
        var names = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "临界生").Cast<IDictionary<string, object?>>().Select(x => (string?)x["姓名"]);
        Assert.Equal(["钱二", "孙三", "李四"], names);
    }
}
