using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using EduBureau.Core.Imports;
using EduBureau.Core.Tests.Infrastructure;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Imports;

/// <summary>
/// #14 finding 3: a 4.5 KB workbook with cells at column ZZZZZ drove the server to 19.7 GB (the column index was not
/// bounded and every row array and the error workbook were as wide as it). The readers refuse what Excel itself cannot hold.
/// </summary>
public class ReaderLimitTests
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>
    /// A hand-written .xlsx (no styles) whose sheetData is <paramref name="rows"/>, with <paramref name="sheetHead"/> before
    /// sheetData and, when given, an &lt;sst&gt; of <paramref name="sharedStrings"/>.
    /// </summary>
    internal static string HandWorkbook(string rows, string sheetHead = "", IEnumerable<string>? sharedStrings = null)
    {
        var p = Path.Combine(Dir(), "hostile.xlsx");
        using var zip = ZipFile.Open(p, ZipArchiveMode.Create);
        void Add(string n, string t) { using var s = new StreamWriter(zip.CreateEntry(n, CompressionLevel.SmallestSize).Open()); s.Write(t); }
        Add("_rels/.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Add("xl/workbook.xml", $"""<workbook xmlns="{Main}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="学生" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        Add("xl/_rels/workbook.xml.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>""");
        Add("xl/worksheets/sheet1.xml", $"""<worksheet xmlns="{Main}">{sheetHead}<sheetData>{rows}</sheetData></worksheet>""");
        if (sharedStrings is not null)
            Add("xl/sharedStrings.xml", $"""<sst xmlns="{Main}">{string.Concat(sharedStrings.Select(s => $"<si><t>{s}</t></si>"))}</sst>""");
        return p;
    }

    internal static string Cell(string r, string text) => $"""<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>""";

    /// <summary>The probe's file: a header row, then cells at ZZZZZ1..ZZZZZ200 (column 12,356,630).</summary>
    private static string ZzzzzWorkbook()
    {
        var sb = new StringBuilder();
        for (var r = 1; r <= 200; r++)
            sb.Append($"""<row r="{r}">{Cell($"A{r}", r == 1 ? "学籍号" : "N" + r)}{Cell($"ZZZZZ{r}", "x")}</row>""");
        return HandWorkbook(sb.ToString());
    }

    private static string Refused(string path)
    {
        var e = Assert.Throws<ImportFileException>(() => { using var s = RowSource.Open(path, Path.GetFileName(path)); while (s.Read()) { } });
        return e.Message;
    }

    /// <summary>Peak working set now minus before, in MB (loose: it only has to stay far below what the unbounded reader took).</summary>
    private static long GrowthMb(Action act)
    {
        GC.Collect();
        using var p = Process.GetCurrentProcess();
        var before = p.WorkingSet64;
        var managedBefore = GC.GetTotalMemory(true);
        act();
        p.Refresh();
        return Math.Max(p.PeakWorkingSet64 - before, GC.GetTotalMemory(false) - managedBefore) / (1024 * 1024);
    }

    /// <summary>The reader's refusal, and the process grew less than 300 MB getting there.</summary>
    private static string RefusedWithinBound(string path)
    {
        string? msg = null;
        var mb = GrowthMb(() => msg = Refused(path));
        Assert.True(mb < 300, $"memory grew {mb} MB");
        return msg!;
    }

    [Fact]
    public void Open_CellAtColumnZZZZZ_RefusedNamingFileSheetRowAndColumn()
    {
        var path = ZzzzzWorkbook();
        Assert.True(new FileInfo(path).Length < 16 * 1024);
        var msg = RefusedWithinBound(path);
        Assert.Contains("hostile.xlsx", msg);
        Assert.Contains("工作表“学生”第1行 ZZZZZ列", msg);
        Assert.Contains("XFD", msg);
    }

    [Fact]
    public void Open_ColumnXFD_Accepted_XFE_Refused()
    {
        using (var s = RowSource.Open(HandWorkbook($"""<row r="1">{Cell("A1", "学籍号")}{Cell("XFD1", "末列")}</row><row r="2">{Cell("A2", "N1")}</row>""")))
        {
            Assert.Equal(16_384, s.Headers.Count);
            Assert.Equal("末列", s.Headers[16_383]);
        }
        Assert.Contains("XFE", Refused(HandWorkbook($"""<row r="1">{Cell("A1", "学籍号")}</row><row r="2">{Cell("A2", "N1")}{Cell("XFE2", "x")}</row>""")));
    }

    [Fact]
    public void Read_ColumnLettersOverflowingInt_Refused() =>
        Assert.Contains("第2行", Refused(HandWorkbook($"""<row r="1">{Cell("A1", "学籍号")}</row><row r="2">{Cell("ZZZZZZZZZZ2", "x")}</row>""")));

    [Fact]
    public void Read_RowBeyondExcelsLast_RefusedNamingRow() =>
        Assert.Contains("第1048577行", Refused(HandWorkbook($"""<row r="1">{Cell("A1", "学籍号")}</row><row r="1048577">{Cell("A1048577", "N1")}</row>""")));

    [Fact]
    public void Read_XlsxCellLongerThanExcelAllows_RefusedNamingRowAndColumn()
    {
        var msg = Refused(HandWorkbook($"""<row r="1">{Cell("A1", "学籍号")}{Cell("B1", "姓名")}</row><row r="2">{Cell("A2", "N1")}{Cell("B2", new string('张', 40_000))}</row>"""));
        Assert.Contains("第2行", msg);
        Assert.Contains("B列", msg);
        Assert.Contains("32767", msg);
    }

    [Fact]
    public void Read_CsvCellOf100000Characters_RefusedNamingFileRowAndColumn()
    {
        var p = Path.Combine(Dir(), "long.csv");
        File.WriteAllText(p, "学籍号,姓名\nN1,张三\nN2," + new string('张', 100_000) + "\n", new UTF8Encoding(true));
        var msg = RefusedWithinBound(p);
        Assert.Contains("文件“long.csv”第3行 B列", msg);
    }

    [Fact]
    public void Open_CsvWiderThanXFD_Refused()
    {
        var p = Path.Combine(Dir(), "wide.csv");
        File.WriteAllText(p, string.Join(",", Enumerable.Range(0, 16_385).Select(i => "h" + i)) + "\n" + "N1\n", new UTF8Encoding(true));
        Assert.Contains("XFD", Refused(p));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_CellsAtColumnZZZZZ_RefusedNothingWrittenMemoryBounded(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.Open();
        var path = ZzzzzWorkbook();
        var errors = Path.Combine(Dir(), "errors.xlsx");
        ImportResult? result = null;
        var mb = GrowthMb(() => result = Importer.RunAsync(ctx, path, new ImportOptions(ImportEntity.Students, 2026) { ErrorWorkbookPath = errors })
            .GetAwaiter().GetResult());
        Assert.False(result!.Success);
        Assert.Contains("ZZZZZ", result.FileError);
        Assert.False(File.Exists(errors));
        Assert.True(mb < 300, $"memory grew {mb} MB");
    }

    [Fact]
    public void ErrorWorkbook_ExtraColumnsAndManyIssues_NoWiderThanTemplatePlusErrorColumn_SaysHowManyNotListed()
    {
        var template = Template.For(ImportEntity.Students);
        var headers = StudentHeaders.Concat(Enumerable.Range(0, 500).Select(i => "多余" + i)).ToList();
        var path = Write("xlsx", headers, [Pupil("N1")]);
        var result = new ImportResult { Entity = ImportEntity.Students };
        for (var i = 0; i < IssueLog.KeepFirst + 5; i++)
            result.Issues.Add(new ImportIssue(IssueLevel.Error, "学生", 2, "姓名", null, "必填"));
        var outPath = Path.Combine(Dir(), "errors.xlsx");

        ErrorWorkbook.Write(path, "学生.xlsx", outPath, template, result);

        using var back = RowSource.Open(outPath);
        Assert.Equal(template.Columns.Length + 1, back.Headers.Count);
        Assert.Equal(ErrorWorkbook.ErrorColumn, back.Headers[^1]);
        using var zip = ZipFile.OpenRead(outPath);
        var all = string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal))
            .Select(e => { using var r = new StreamReader(e.Open()); return r.ReadToEnd(); }));
        Assert.Contains("另有 5 处错误未列出", all);
    }
}
