namespace EduBureau.Core.Imports;

/// <summary>The original rows with an added 错误 column, then a 汇总 sheet; written streaming from a second read of the file.</summary>
public static class ErrorWorkbook
{
    public const string ErrorColumn = "错误";

    public static void Write(string sourcePath, string name, string outPath, Template template, ImportResult result, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Current;
        using var w = XlsxWriter.Create(outPath);
        string sheet;
        try
        {
            using var source = RowSource.Open(sourcePath, name);
            sheet = source.SheetName;
            // Only the file's columns the template knows (first occurrence, in the file's order): the workbook is never
            // wider than the template plus 错误, whatever the file's header claims (#14: it was as wide as the header).
            var columns = TemplateColumns(source.Headers, template);
            var width = columns.Count;
            w.StartSheet(string.IsNullOrEmpty(sheet) || sheet.Length > 31 ? template.Name : sheet,
                [.. Enumerable.Repeat(14.0, width), 60]);
            var row = new string?[width + 1];
            for (var j = 0; j < width; j++) row[j] = source.Headers[columns[j]];
            row[width] = ErrorColumn;
            w.WriteRow(row, bold: true);
            var cap = limits.MaxErrorWorkbookBytes;
            var copied = 0;
            var left = 0;
            while (source.Read())
            {
                // Past the size cap the rest of the rows are only counted (#14: error workbooks of 238 MB).
                if (left > 0 || (++copied % 1024 == 0 && w.BytesWritten > cap)) { left++; continue; }
                for (var j = 0; j < width; j++) row[j] = source.Get(columns[j]);
                row[width] = Fit(result.Issues.ForRow(source.RowNumber));
                w.WriteRow(row);
            }
            if (left > 0)
                w.WriteRow([$"……错误清单已达 {cap / 1_048_576} MB 上限，另有 {left} 行未列出（见“汇总”；请修正上面的行后重新导入）"]);
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
        w.WriteRow([$"明细（前{IssueLog.KeepFirst}条）"], bold: true);
        foreach (var i in result.Issues.First)
            w.WriteRow([i.Level == IssueLevel.Error ? "错误" : "警告", i.Column, i.Message, i.Row > 0 ? i.Row.ToString() : "", i.Value]);
        var errorsLeft = result.Issues.Errors - result.Issues.First.Count(i => i.Level == IssueLevel.Error);
        var warningsLeft = result.Issues.Warnings - result.Issues.First.Count(i => i.Level == IssueLevel.Warning);
        if (errorsLeft + warningsLeft > 0)
            w.WriteRow([$"……另有 {errorsLeft} 处错误{(warningsLeft > 0 ? $"、{warningsLeft} 处警告" : "")}未列出（见上方按类别的汇总）"]);
    }

    /// <summary>A row's joined issues within what an Excel cell holds (a row wrong in every column can exceed it).</summary>
    private static string? Fit(string? text) => text is { Length: > 32_767 } ? text[..32_000] + "……（过长，已截断）" : text;

    /// <summary>File column positions whose header is a template column, each template column once.</summary>
    private static List<int> TemplateColumns(IReadOnlyList<string> headers, Template template)
    {
        var taken = new HashSet<int>();
        var columns = new List<int>();
        for (var i = 0; i < headers.Count; i++)
        {
            var t = template.IndexOf(headers[i].TrimEnd('*', '＊').Trim());
            if (t >= 0 && taken.Add(t)) columns.Add(i);
        }
        return columns;
    }
}
