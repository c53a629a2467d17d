using System.Text.Json;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using EduBureau.Core.Exams;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using MiniExcelLibs;

namespace EduBureau.Core.Tests.Exams;

/// <summary>Issue #15, exams: no float noise in what leaves the analysis, 城乡 rows in the .docx, special-school teachers unranked.</summary>
public partial class ExamFindingsTests
{
    /// <summary>
    /// The <see cref="ExamScenario"/> pupils with decimal scores, imported through the real CSV import:
    /// 语文 J1 4.4, J2 4.3, J3 4.5 (W1, W2 缺考) → mean 13.2 / 3 = 4.4, min 4.3, max 4.5, median 4.4;
    /// 数学 J1 80.2, J3 0.1, W1 4.2 → 总分 J1 84.6, J2 4.3, J3 4.6, W1 4.2 → max 84.6, min 4.2.
    /// </summary>
    private static readonly string[] DecimalRows =
    [
        "J1,赵一,4500000002,1班,4.4,80.2",
        "J2,钱二,4500000002,1班,4.3,缺考",
        "J3,孙三,4500000002,2班,4.5,0.1",
        "W1,李四,4500000003,1班,缺考,4.2",
        "W2,周五,4500000003,1班,缺考,缺考",
    ];

    [GeneratedRegex(@"\d\.\d*(0000000|9999999)\d")]
    private static partial Regex BinaryNoise();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task JsonRows_DecimalScoresAndAMeanExactInDecimal_AreWrittenAsThoseDecimals(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await ExamScenario.SeedPupilsAsync(tdb);
        var examId = await ExamScenario.AddExamAsync(tdb, "小数", DecimalRows);
        await using var db = tdb.Open(UserScope.System());
        var report = await ExamReport.BuildAsync(db, examId);

        var json = JsonSerializer.Serialize(report.JsonRows(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var chinese = JsonSerializer.Serialize(report.JsonRows(ExamLevel.County).Single(r => r.Subject == "语文"), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var total = JsonSerializer.Serialize(report.JsonRows(ExamLevel.County).Single(r => r.Subject == "总分"), new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.Contains("\"mean\":4.4,", chinese);
        Assert.Contains("\"min\":4.3,", chinese);
        Assert.Contains("\"max\":4.5,", chinese);
        Assert.Contains("\"median\":4.4,", chinese);
        Assert.Contains("\"max\":84.6,", total);
        Assert.Contains("\"min\":4.2,", total);
        Assert.DoesNotMatch(BinaryNoise(), json);
        // The workbook too (学校 sheet, 东镇中学 语文: 4.4, 4.3, 4.5).
        var path = ExamScenario.TempPath("报表.xlsx");
        ExamWorkbook.Write(report, path);
        var east = MiniExcel.Query(path, useHeaderRow: true, sheetName: "学校").Cast<IDictionary<string, object?>>()
            .Single(r => (string?)r["单位"] == "东镇中学" && (string?)r["科目"] == "语文");
        Assert.Equal(4.3, Convert.ToDouble(east["最低分"]));
        Assert.Equal(4.4, Convert.ToDouble(east["平均分"]));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Docx_UrbanRural_HasItsOwnUnrankedTableApartFromTownships(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        var examId = await ExamScenario.SeedAsync(tdb);
        await using var db = tdb.Open(UserScope.System());
        var report = await ExamReport.BuildAsync(db, examId);
        var path = ExamScenario.TempPath("报告.docx");

        ExamDocx.Write(report, path);

        using var doc = WordprocessingDocument.Open(path, false);
        var tables = doc.MainDocumentPart!.Document.Body!.Elements<Table>()
            .Select(t => t.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray()).ToList()).ToList();
        var urbanRural = Assert.Single(tables, t => t[0][0] == "城乡");
        var townships = Assert.Single(tables, t => t[0][0] == "乡镇");
        // TinyCounty: 东镇中学 is 镇区 (J1 170, J2 60, J3 80 → 总分 mean 103.3), 西乡小学 乡村 (W1 70, W2 100 → 85.0).
        Assert.Equal(["镇区", "乡村"], urbanRural.Skip(1).Select(r => r[0]));
        Assert.Equal(["镇区", "3", "103.3"], urbanRural[1][..3]);
        Assert.Equal(["乡村", "2", "85.0"], urbanRural[2][..3]);
        Assert.DoesNotContain("名次", urbanRural[0]);
        Assert.Equal(["东镇", "西乡"], townships.Skip(1).Select(r => r[0]));
    }

    /// <summary>
    /// 语文: 甲校 1班 (张老师) 80, 60 → 70; 特教校 1班 (王老师) 95; 乙校 1班 (李老师) 50. 王老师 teaches in the special
    /// school: analysed (mean 95) but not ranked above the ordinary teachers, who are 1st and 2nd of 2.
    /// </summary>
    [Fact]
    public void Analyze_TeacherOfASpecialSchool_NotRankedAmongOrdinaryTeachers()
    {
        var (b, a, sp, o) = ExamAnalysisTests.SpecialCounty(95);
        b.Teacher(b.FindClass(a, "1班")!.Value, 0, "张老师");
        b.Teacher(b.FindClass(sp, "1班")!.Value, 0, "王老师");
        b.Teacher(b.FindClass(o, "1班")!.Value, 0, "李老师");

        var teachers = ExamAnalysis.Analyze(b.Build()).Level(ExamLevel.Teacher).ToDictionary(x => x.Unit);

        Assert.Equal((true, (int?)null, 0), (teachers["王老师"].Special, teachers["王老师"].Rank, teachers["王老师"].Peers));
        Assert.Equal(95, teachers["王老师"].Mean!.Value, 9);
        Assert.Equal((false, (int?)1, 2), (teachers["张老师"].Special, teachers["张老师"].Rank, teachers["张老师"].Peers));
        Assert.Equal((false, (int?)2, 2), (teachers["李老师"].Special, teachers["李老师"].Rank, teachers["李老师"].Peers));
    }
}
