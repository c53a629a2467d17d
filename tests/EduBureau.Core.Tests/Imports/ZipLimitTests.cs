using System.IO.Compression;
using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using static EduBureau.Core.Tests.Imports.ImportFiles;
using static EduBureau.Core.Tests.Imports.ReaderLimitTests;

namespace EduBureau.Core.Tests.Imports;

/// <summary>
/// #14 finding 4: the zip and shared-string limits of <see cref="ImportLimits"/>, each with a small file over a lowered
/// limit (the 1 GB bombs themselves go through the upload pages in the Web tests, FileBombTests).
/// </summary>
public class ZipLimitTests
{
    private static string Refused(string path, ImportLimits limits)
    {
        var e = Assert.Throws<ImportFileException>(() => { using var s = RowSource.Open(path, "a.xlsx", limits); while (s.Read()) { } });
        Assert.True(e.OverLimit);
        return e.Message;
    }

    private static string SharedRow(int row, int index) => $"""<row r="{row}"><c r="A{row}" t="s"><v>{index}</v></c></row>""";

    [Fact]
    public void Open_MoreSharedStringsThanAllowed_RefusedNamingFileAndPart()
    {
        var path = HandWorkbook(SharedRow(1, 0), sharedStrings: Enumerable.Range(0, 1500).Select(i => "学生" + i));

        var msg = Refused(path, new ImportLimits { MaxSharedStrings = 1000 });

        Assert.Equal("文件“a.xlsx”的共享字符串（sharedStrings.xml）超过 1000 个，超出了导入上限（可能是“压缩炸弹”或损坏的文件），未导入任何数据", msg);
    }

    [Fact]
    public void Open_SharedStringsLongerThanAllowed_Refused()
    {
        var path = HandWorkbook(SharedRow(1, 0), sharedStrings: Enumerable.Range(0, 10).Select(_ => new string('长', 500)));

        var msg = Refused(path, new ImportLimits { MaxSharedStringChars = 1000 });

        Assert.Contains("共享字符串（sharedStrings.xml）合计超过 1000 个字符", msg);
    }

    [Fact]
    public void Open_SharedStringsWithinLimits_Read()
    {
        var path = HandWorkbook(SharedRow(1, 0) + SharedRow(2, 1), sharedStrings: ["学籍号", "G1"]);

        using var s = RowSource.Open(path, "a.xlsx", new ImportLimits { MaxSharedStrings = 1000, MaxSharedStringChars = 1000 });

        Assert.Equal("学籍号", s.Headers[0]);
        Assert.True(s.Read());
        Assert.Equal("G1", s.Get(0));
    }

    [Fact]
    public void Open_SheetInflatingPastMaxEntryBytes_RefusedNamingSheet()
    {
        // 2 MB of sheet XML that compresses only a few times (distinct GUIDs): over 1 MB, under any ratio limit.
        var rows = string.Concat(Enumerable.Range(1, 20_000).Select(r => $"<row r=\"{r}\">{Cell($"A{r}", Guid.NewGuid().ToString("N"))}</row>"));
        var path = HandWorkbook(rows);

        var msg = Refused(path, new ImportLimits { MaxEntryBytes = 1_048_576 });

        Assert.Equal("文件“a.xlsx”的工作表“学生”解压后超过 1 MB，超出了导入上限（可能是“压缩炸弹”或损坏的文件），未导入任何数据", msg);
    }

    [Fact]
    public void Open_DimensionClaimingColumnZZZZZ_Refused()
    {
        var path = HandWorkbook($"<row r=\"1\">{Cell("A1", "学籍号")}</row>", sheetHead: "<dimension ref=\"A1:ZZZZZ200\"/>");

        var msg = Refused(path, new ImportLimits());

        Assert.Contains("第1行 ZZZZZ列超出了允许的最后一列 XFD", msg);
    }

    [Fact]
    public void ErrorWorkbook_PastMaxErrorWorkbookBytes_RestOfRowsCountedNotWritten()
    {
        var template = Template.For(ImportEntity.Students);
        var headers = template.Columns.Select(c => c.Header).ToList();
        var rows = Enumerable.Range(0, 30_000).Select(_ => headers.Select(_ => Guid.NewGuid().ToString("N")).ToArray()).ToList();
        var path = Write("csv", headers, rows);
        var outPath = Path.Combine(Dir(), "errors.xlsx");

        ErrorWorkbook.Write(path, "学生.csv", outPath, template, new ImportResult { Entity = ImportEntity.Students },
            new ImportLimits { MaxErrorWorkbookBytes = 1_048_576 });

        // Checked every 1,024 rows: at most one batch (about 1 MB here) past the cap.
        Assert.True(new FileInfo(outPath).Length < 3 * 1_048_576, $"{new FileInfo(outPath).Length} bytes");
        using var zip = ZipFile.OpenRead(outPath);
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open(), Encoding.UTF8);
        Assert.Matches("……错误清单已达 1 MB 上限，另有 [0-9]+ 行未列出", reader.ReadToEnd());
    }

    [Fact]
    public void Open_OneValueOf3MbOfDigits_RefusedWhileInflatingNotReadWhole()
    {
        // Random digits compress about 2:1, so the ratio check does not fire: the XML reader would build the whole text.
        var random = new Random(14);
        var digits = string.Create(3_000_000, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = (char)('0' + r.Next(10)); });
        var path = HandWorkbook($"<row r=\"1\">{Cell("A1", "学籍号")}</row><row r=\"2\"><c r=\"A2\"><v>{digits}</v></c></row>");

        var msg = Refused(path, new ImportLimits());

        Assert.Equal("文件“a.xlsx”的工作表“学生”中有一段超过 1024 KB 的连续文字（单元格内容过长），超出了导入上限（可能是“压缩炸弹”或损坏的文件），未导入任何数据", msg);
    }
}
