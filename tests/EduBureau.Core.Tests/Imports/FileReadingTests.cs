using System.IO.Compression;
using System.Text;
using EduBureau.Core.Imports;
using Microsoft.EntityFrameworkCore;
using static EduBureau.Core.Tests.Imports.ImportFiles;

namespace EduBureau.Core.Tests.Imports;

/// <summary>Malformed files give a clear Chinese message, never a stack trace; odd but valid cells read as people see them.</summary>
public class FileReadingTests
{
    private static string Explain(string path)
    {
        var e = Assert.Throws<ImportFileException>(() => { using var s = RowSource.Open(path); while (s.Read()) { } });
        return e.Message;
    }

    private static string File(string name, byte[] content)
    {
        var p = Path.Combine(Dir(), name);
        System.IO.File.WriteAllBytes(p, content);
        return p;
    }

    [Fact]
    public void Open_NotAZip_SaysNotAWorkbook() =>
        Assert.Contains("不是有效的 Excel 工作簿", Explain(File("a.xlsx", Encoding.UTF8.GetBytes("hello"))));

    [Fact]
    public void Open_OldXls_AsksToSaveAsXlsx() =>
        Assert.Contains("旧版 Excel（.xls）", Explain(File("a.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0])));

    [Fact]
    public void Open_EncryptedWorkbook_SaysPassword()
    {
        var bytes = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);
        Encoding.Unicode.GetBytes("EncryptionInfo").CopyTo(bytes, 1000);
        Assert.Contains("设置了打开密码", Explain(File("a.xlsx", bytes)));
    }

    [Fact]
    public void Open_EmptyFile_SaysEmpty() => Assert.Contains("空文件", Explain(File("a.csv", [])));

    [Fact]
    public void Open_EmptyWorkbook_SaysSheetEmpty()
    {
        var p = Path.Combine(Dir(), "empty.xlsx");
        using (var w = XlsxWriter.Create(p)) w.StartSheet("Sheet1");
        Assert.Contains("是空的", Explain(p));
    }

    [Fact]
    public void Open_ChartFirstSheet_SaysChart()
    {
        var p = Path.Combine(Dir(), "chart.xlsx");
        using (var zip = ZipFile.Open(p, ZipArchiveMode.Create))
        {
            void Add(string n, string t) { using var s = new StreamWriter(zip.CreateEntry(n).Open()); s.Write(t); }
            Add("_rels/.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add("xl/workbook.xml", """<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="图表1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add("xl/_rels/workbook.xml.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>""");
        }
        Assert.Contains("是图表", Explain(p));
    }

    [Fact]
    public void Read_CsvBrokenQuote_NamesRow()
    {
        var sb = new StringBuilder("学籍号,姓名\n");
        for (var i = 0; i < 10; i++) sb.Append($"N{i},张\n");
        sb.Append("N10,\"张\n");
        for (var i = 0; i < 200_000; i++) sb.Append($"N{i},张张张张张张张张张张\n");
        var msg = Explain(File("a.csv", Encoding.UTF8.GetBytes(sb.ToString())));
        Assert.Contains("第12行", msg);
        Assert.Contains("引号", msg);
    }

    [Fact]
    public void PrefetchRowSource_SameRowsAsItsSource_ThenTheSourcesErrorAtItsRow()
    {
        // 1,000 rows (several prefetch batches) and a broken quote in Excel row 702: the rows before it come through
        // with their numbers and cells, then Read throws the source's own message, not an error from another thread.
        var sb = new StringBuilder("学籍号,姓名,班级\n");
        for (var i = 0; i < 700; i++) sb.Append($"N{i},张{i},{(i % 3 == 0 ? "" : "一班")}\n");
        sb.Append("N700,\"张\n");
        for (var i = 0; i < 300; i++) sb.Append($"M{i},李,二班\n");
        var path = File("a.csv", Encoding.UTF8.GetBytes(sb.ToString()));

        var expected = new List<string>();
        string plainError;
        using (var plain = RowSource.Open(path))
        {
            plainError = Assert.Throws<ImportFileException>(() => { while (plain.Read()) expected.Add($"{plain.RowNumber}|{plain.Get(0)}|{plain.Get(1)}|{plain.Get(2)}"); }).Message;
        }
        var actual = new List<string>();
        using var source = RowSource.Open(path);
        using var ahead = new PrefetchRowSource(source);
        var error = Assert.Throws<ImportFileException>(() => { while (ahead.Read()) actual.Add($"{ahead.RowNumber}|{ahead.Get(0)}|{ahead.Get(1)}|{ahead.Get(2)}"); });

        Assert.Equal(["学籍号", "姓名", "班级"], ahead.Headers);
        Assert.Equal(700, expected.Count);
        Assert.Equal("2|N0|张0|", expected[0]);
        Assert.Equal("701|N699|张699|", expected[^1]); // 699 % 3 == 0: empty 班级
        Assert.Equal(expected, actual);
        Assert.Equal(plainError, error.Message);
        Assert.Contains("第702行", error.Message);
    }

    [Fact]
    public void Read_CsvNotUtf8_AsksForUtf8()
    {
        var gbk = new byte[] { 0xD1, 0xA7, 0xBC, 0xAE, 0xBA, 0xC5, (byte)',', (byte)'a', (byte)'\n', (byte)'1', (byte)',', (byte)'2', (byte)'\n' };
        Assert.Contains("UTF-8", Explain(File("a.csv", gbk)));
    }

    /// <summary>A valid two-row pupil workbook, damaged in the ways a user's file can be.</summary>
    private static string Damaged(string kind)
    {
        string?[] pupil = ["N1", "张", "男", "2017-03-01", null, null, "4500000001", "三年级", "三(1)班", null, null, null, null, null, null, null, null, null, null, null, null];
        var good = Write("xlsx", StudentHeaders, [pupil, pupil.ToArray()]);
        var bytes = System.IO.File.ReadAllBytes(good);
        switch (kind)
        {
            case "truncated.xlsx": return File("学生名单.xlsx", bytes[..(bytes.Length / 2)]);
            case "gbk.csv": return File("学生名单.csv", [0xD1, 0xA7, 0xBC, 0xAE, 0xBA, 0xC5, (byte)'\n', (byte)'1', (byte)'\n']);
            case "empty.csv": return File("学生名单.csv", []);
            case "random.xlsx": return File("学生名单.xlsx", [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251))]);
            case "badxml.xlsx":
            {
                var p = Path.Combine(Dir(), "学生名单.xlsx");
                System.IO.File.Copy(good, p);
                using var zip = ZipFile.Open(p, ZipArchiveMode.Update);
                var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
                string xml;
                using (var r = new StreamReader(sheet.Open())) xml = r.ReadToEnd();
                var name = sheet.FullName;
                sheet.Delete();
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write(xml[..(xml.IndexOf("</row>", xml.IndexOf("</row>", StringComparison.Ordinal) + 1, StringComparison.Ordinal))] + "<row r=\"3\"><c r=\"A3\"");
                return p;
            }
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    [Theory]
    [InlineData("truncated.xlsx", "已损坏")]
    [InlineData("badxml.xlsx", "已损坏")]
    [InlineData("random.xlsx", "不是有效的 Excel 工作簿")]
    [InlineData("gbk.csv", "UTF-8")]
    [InlineData("empty.csv", "空文件")]
    public async Task RunAsync_DamagedFile_ChineseMessageNamingFileAndNothingWritten(string kind, string expected)
    {
        await using var db = await Infrastructure.TestDatabase.CreateAsync();
        await using (var seed = db.Open()) await Infrastructure.TinyCounty.SeedAsync(seed);
        await using var ctx = db.Open();

        var result = await Importer.RunAsync(ctx, Damaged(kind), new ImportOptions(ImportEntity.Students, Infrastructure.TinyCounty.Year));

        Assert.False(result.Success);
        Assert.Contains("学生名单", result.FileError);
        Assert.Contains(expected, result.FileError);
        Assert.Equal(4, await ctx.Students.CountAsync()); // TinyCounty's own pupils only
    }

    [Fact]
    public void Read_XlsxNumberAndDateCells_ReadAsDigitsAndDates()
    {
        var p = Path.Combine(Dir(), "cells.xlsx");
        using (var zip = ZipFile.Open(p, ZipArchiveMode.Create))
        {
            void Add(string n, string t) { using var s = new StreamWriter(zip.CreateEntry(n).Open()); s.Write(t); }
            Add("_rels/.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add("xl/workbook.xml", """<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="学生" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add("xl/_rels/workbook.xml.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""");
            Add("xl/sharedStrings.xml", """<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>学籍号</t></si><si><r><t>出生</t></r><r><t>日期</t></r></si><si><t>身份证件号</t></si></sst>""");
            Add("xl/styles.xml", """<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>""");
            Add("xl/worksheets/sheet1.xml", """<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="3"><c r="A3"><v>4.50102201703E+17</v></c><c r="B3" s="1"><v>42795</v></c><c r="C3" t="inlineStr"><is><t>45010220170301001X</t></is></c></row><row r="4"><c r="B4" s="2"><v>42796</v></c></row></sheetData></worksheet>""");
        }

        using var s = RowSource.Open(p);

        Assert.Equal(["学籍号", "出生日期", "身份证件号"], s.Headers);
        Assert.True(s.Read());
        Assert.Equal((3, "450102201703000000", "2017-03-01", "45010220170301001X"), (s.RowNumber, s.Get(0), s.Get(1), s.Get(2)));
        Assert.True(s.Read());
        Assert.Equal((4, "2017-03-02"), (s.RowNumber, s.Get(1)));
        Assert.False(s.Read());
    }
}
