using System.Diagnostics;
using DocumentFormat.OpenXml.Packaging;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using MiniExcelLibs;

namespace EduBureau.Core.Tests.Exams;

public class ExamReportTests
{
    private static async Task<(TestDatabase Db, ExamReport Report)> BuildAsync(int? vs = null, bool withEarlier = false)
    {
        var tdb = await TestDatabase.CreateAsync();
        var examId = await ExamScenario.SeedAsync(tdb);
        int? before = null;
        if (withEarlier) before = await ExamScenario.AddExamAsync(tdb, "期中", ExamScenario.Rows, month: 11);
        await using var db = tdb.Open(UserScope.System());
        return (tdb, await ExamReport.BuildAsync(db, examId, vs ?? before, new CriticalOptions(Line: 80, Within: 10)));
    }

    private static Dictionary<string, object?> SheetRow(string path, string sheet, string unit, string subject) =>
        MiniExcel.Query(path, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>()
            .Select(r => new Dictionary<string, object?>(r))
            .Single(r => (string?)r["单位"] == unit && (string?)r["科目"] == subject);

    [Fact]
    public async Task Workbook_SchoolAndClassSheets_HoldHandComputedMeans()
    {
        var (tdb, report) = await BuildAsync();
        await using var _d = tdb;
        var path = ExamScenario.TempPath("报表.xlsx");

        ExamWorkbook.Write(report, path);

        Assert.Equal(["全县", "乡镇", "城乡", "学校", "班级", "教师", "临界生", "增值"], MiniExcel.GetSheetNames(path));
        // 东镇中学 语文: 90, 60, 30 → 60; 总分: 170, 60, 80 → 103.33.
        Assert.Equal(60.0, Convert.ToDouble(SheetRow(path, "学校", "东镇中学", "语文")["平均分"]), 9);
        Assert.Equal(310.0 / 3, Convert.ToDouble(SheetRow(path, "学校", "东镇中学", "总分")["平均分"]), 6);
        Assert.Equal(2, Convert.ToInt32(SheetRow(path, "学校", "东镇中学", "语文")["名次"]));
        // 西乡小学 语文: W2 缺考 → sat 1, absent 1, mean 70 (never 0 for the absent pupil).
        var west = SheetRow(path, "学校", "西乡小学", "语文");
        Assert.Equal(1, Convert.ToInt32(west["实考人数"]));
        Assert.Equal(1, Convert.ToInt32(west["缺考"]));
        Assert.Equal(70.0, Convert.ToDouble(west["平均分"]), 9);
        Assert.Equal(62.5, Convert.ToDouble(SheetRow(path, "全县", "测试县", "语文")["平均分"]), 9);
        // 临界生 at 总分 80 ± 10: J3 (80) and W1 (70) and J2? no: J2 has 60. So J3 and W1.
        var critical = MiniExcel.Query(path, useHeaderRow: true, sheetName: "临界生").Cast<IDictionary<string, object?>>().Select(r => (string?)r["姓名"]).ToList();
        Assert.Equal(["孙三", "李四"], critical);
    }

    [Fact]
    public async Task Docx_Headlines_CarryTheFiguresOfTheJson()
    {
        var (tdb, report) = await BuildAsync();
        await using var _d = tdb;
        var path = ExamScenario.TempPath("报告.docx");

        var warnings = ExamDocx.Write(report, path);

        using var doc = WordprocessingDocument.Open(path, false);
        var text = doc.MainDocumentPart!.Document.Body!.InnerText;
        // County 总分 mean (170 + 60 + 80 + 70 + 100) / 5 = 96; the JSON row says the same.
        var county = report.JsonRows(ExamLevel.County).Single(r => r.Subject == "总分");
        Assert.Equal(96, county.Mean!.Value, 9);
        Assert.Contains("全县总分平均分 96.0 分（满分 200）", text);
        Assert.Contains("总分平均分最高的学校是东镇中学（103.3 分），最低的是西乡小学（85.0 分），相差 18.3 分", text);
        Assert.Contains("语文：平均分 62.5 分（满分 100），及格率 75.0%，优秀率 25.0%，低分率 25.0%", text);
        if (ExamCharts.Available)
        {
            Assert.Empty(warnings);
            Assert.Equal(2, doc.MainDocumentPart.ImageParts.Count()); // distribution and school means (no value added here)
        }
        else Assert.Contains(warnings, w => w.Contains("fonts-noto-cjk"));
    }

    [Fact]
    public async Task ValueAdded_SameScoresInEarlierExam_IsZeroForEveryUnit()
    {
        var (tdb, report) = await BuildAsync(withEarlier: true);
        await using var _d = tdb;

        var schools = report.JsonRows(ExamLevel.School).Where(r => r.Subject == "总分").ToList();

        // Identical scores: every pupil's z difference is 0 and every residual of y = x is 0.
        Assert.Equal(2, schools.Count);
        Assert.All(schools, s => Assert.Equal(0, s.ValueAdded!.Value, 9));
        Assert.All(schools, s => Assert.Equal(0, s.ValueAddedRegression!.Value, 6));
        Assert.Equal(3, schools.Single(s => s.Unit == "东镇中学").ValueAddedMatched);
    }

    [SkippableFact]
    public async Task Docx_WithValueAdded_OpensInLibreOffice()
    {
        var soffice = new[] { "/usr/bin/libreoffice", "/usr/bin/soffice", "/usr/local/bin/libreoffice" }.FirstOrDefault(File.Exists);
        Skip.If(soffice is null && Environment.GetEnvironmentVariable("CI") is null, "未安装 LibreOffice：跳过 .docx 转 PDF 检查（CI 会安装 libreoffice-writer-nogui）");
        Assert.NotNull(soffice);
        var (tdb, report) = await BuildAsync(withEarlier: true);
        await using var _d = tdb;
        var path = ExamScenario.TempPath("报告.docx");
        ExamDocx.Write(report, path);
        var outDir = Path.GetDirectoryName(path)!;

        var psi = new ProcessStartInfo(soffice, ["--headless", $"-env:UserInstallation=file://{outDir}/lo-profile", "--convert-to", "pdf", "--outdir", outDir, path])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();

        var pdf = Path.ChangeExtension(path, ".pdf");
        Assert.True(File.Exists(pdf), await p.StandardError.ReadToEndAsync());
        Assert.True(new FileInfo(pdf).Length > 1000);
    }

    [Fact]
    public async Task BuildAsync_CriticalByRank_ListsPupilsAroundTheRankLine()
    {
        await using var tdb = await TestDatabase.CreateAsync();
        var examId = await ExamScenario.SeedAsync(tdb);
        await using var db = tdb.Open(UserScope.System());

        var report = await ExamReport.BuildAsync(db, examId, critical: new CriticalOptions(LineRank: 4, WithinRanks: 1));

        // 总分 ranks: J1 170 (1), W2 100 (2), J3 80 (3), W1 70 (4), J2 60 (5); rank 4 ± 1 → J3, W1, J2.
        // Listed by school, then class, then score: 东镇中学 1班 J2, 2班 J3, then 西乡小学 W1.
        Assert.Equal(["钱二", "孙三", "李四"], report.CriticalPupils.Select(p => p.Name));
        Assert.Equal([-1.0, 1.0, 0.0], report.CriticalPupils.Select(p => p.Gap)); // line rank − rank
        Assert.Contains("全县第 4 名上下 1 名以内", report.Headlines()[^1]);
    }
}
