namespace EduBureau.Core.Imports;

/// <summary>The original rows with an added 错误 column, then a 汇总 sheet; written streaming from a second read of the file.</summary>
public static class ErrorWorkbook
{
    public const string ErrorColumn = "错误";

    public static void Write(string sourcePath, string name, string outPath, Template template, ImportResult result)
    {
        using var w = XlsxWriter.Create(outPath);
        string sheet;
        try
        {
            using var source = RowSource.Open(sourcePath, name);
            sheet = source.SheetName;
            var headers = source.Headers.Where(h => h != ErrorColumn).ToList();
            var width = headers.Count;
            w.StartSheet(string.IsNullOrEmpty(sheet) || sheet.Length > 31 ? template.Name : sheet,
                [.. Enumerable.Repeat(14.0, width), 60]);
            var row = new string?[width + 1];
            for (var i = 0; i < width; i++) row[i] = headers[i];
            row[width] = ErrorColumn;
            w.WriteRow(row, bold: true);
            var skip = source.Headers.ToList().IndexOf(ErrorColumn);
            while (source.Read())
            {
                for (int i = 0, j = 0; i < source.Headers.Count && j < width; i++)
                    if (i != skip) row[j++] = source.Get(i);
                row[width] = result.Issues.ForRow(source.RowNumber);
                w.WriteRow(row);
            }
        }
        catch (ImportFileException)
        {
            w.StartSheet(template.Name);
            w.WriteRow(["（无法重新读取原文件）"]);
        }
        w.StartSheet("汇总", [10, 14, 50, 10, 12]);
        w.WriteRow(["导入", $"{template.Name}（{name}）"], bold: true);
        w.WriteRow(["结果", result.Summary]);
        w.WriteRow([]);
        w.WriteRow(["类别", "列", "问题", "行数", "首次出现行"], bold: true);
        foreach (var k in result.Issues.Kinds)
            w.WriteRow([k.Level == IssueLevel.Error ? "错误" : "警告", k.Column, k.Kind, k.Count.ToString(), k.FirstRow > 0 ? k.FirstRow.ToString() : ""]);
        w.WriteRow([]);
        w.WriteRow(["明细（前1000条）"], bold: true);
        foreach (var i in result.Issues.First)
            w.WriteRow([i.Level == IssueLevel.Error ? "错误" : "警告", i.Column, i.Message, i.Row > 0 ? i.Row.ToString() : "", i.Value]);
    }
}
