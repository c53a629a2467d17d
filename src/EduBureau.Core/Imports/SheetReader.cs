using System.Globalization;

namespace EduBureau.Core.Imports;

/// <summary>One data row of an exchange workbook: cell text by header, with the sheet row number for messages.</summary>
internal sealed class SheetRow(int number, Dictionary<string, string?> cells, IReadOnlyDictionary<string, string> letters)
{
    public int Number { get; } = number;

    /// <summary>The cell as the sheet shows it (numbers as their digits, date cells as yyyy-MM-dd), or null.</summary>
    public object? Raw(string header) => cells.GetValueOrDefault(header);

    /// <summary>Trimmed text, or null when empty. Numbers come back as their digits (a 学籍号 typed as a number).</summary>
    public string? Text(string header) => SheetReader.CellText(Raw(header));

    public string Where(string header) => letters.TryGetValue(header, out var l) ? $"第{Number}行 {l}列（{header}）" : $"第{Number}行（{header}）";
}

/// <summary>
/// Reads the first sheet of an .xlsx (or a UTF-8 .csv) whose first row holds the template's Chinese headers
/// (docs/templates.md): column order free, extra columns warned about, missing required columns an error. Stands on the
/// roster imports' <see cref="RowSource"/>, so a damaged, encrypted or old-format file gets the same Chinese
/// explanation as there, and row numbers are the ones Excel shows.
/// </summary>
internal static class SheetReader
{
    public sealed record Sheet(List<SheetRow> Rows, List<string> Errors, List<string> Warnings);

    public static Sheet Read(Stream stream, string fileName, IReadOnlyCollection<string> required, IReadOnlyCollection<string> optional)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var rows = new List<SheetRow>();
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        if (ext is not (".xlsx" or ".csv"))
        {
            errors.Add($"文件 {fileName}：只支持 .xlsx 或 .csv 文件");
            return new Sheet(rows, errors, warnings);
        }
        // RowSource reads files (the zip directory is at the end of a workbook): an upload stream is copied to a temporary one.
        var temp = stream is FileStream { CanSeek: true } fs && Path.GetExtension(fs.Name).Equals(ext, StringComparison.OrdinalIgnoreCase)
            ? null : Path.Combine(Path.GetTempPath(), $"edu-sheet-{Guid.NewGuid():N}{ext}");
        try
        {
            if (temp is not null)
                using (var copy = File.Create(temp)) stream.CopyTo(copy);
            using var source = RowSource.Open(temp ?? ((FileStream)stream).Name, fileName);
            var letterByHeader = new Dictionary<string, string>();
            var columns = new List<(int Index, string Header)>();
            for (var i = 0; i < source.Headers.Count; i++)
            {
                var h = source.Headers[i].Replace("*", "").Replace("＊", "").Trim();
                if (h.Length == 0) continue;
                if (letterByHeader.ContainsKey(h)) { errors.Add($"文件 {fileName} 第1行：表头“{h}”重复"); continue; }
                letterByHeader[h] = XlsxWriter.ColumnName(i);
                columns.Add((i, h));
            }
            foreach (var r in required.Where(r => !letterByHeader.ContainsKey(r)))
                errors.Add($"文件 {fileName}：缺少必需列“{r}”");
            var extra = letterByHeader.Keys.Where(h => !required.Contains(h) && !optional.Contains(h)).ToList();
            if (extra.Count > 0) warnings.Add($"文件 {fileName}：已忽略无法识别的列 {string.Join("、", extra.Select(h => $"“{h}”"))}");
            while (source.Read())
            {
                var cells = new Dictionary<string, string?>(columns.Count);
                foreach (var (index, header) in columns) cells[header] = source.Get(index);
                rows.Add(new SheetRow(source.RowNumber, cells, letterByHeader));
            }
        }
        catch (ImportFileException e)
        {
            errors.Add(e.Message);
            rows.Clear();
        }
        finally
        {
            if (temp is not null) File.Delete(temp);
        }
        return new Sheet(rows, errors, warnings);
    }

    public static string? CellText(object? value)
    {
        var s = value switch
        {
            null => null,
            string t => t,
            double d => d == Math.Floor(d) && Math.Abs(d) < 1e17 ? ((decimal)d).ToString("0", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture),
            decimal m => m == decimal.Truncate(m) ? m.ToString("0", CultureInfo.InvariantCulture) : m.ToString(CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        s = s?.Trim();
        return string.IsNullOrEmpty(s) ? null : s;
    }

    /// <summary>YYYY-MM-DD, YYYY/MM/DD, an Excel date cell or an Excel serial number.</summary>
    public static DateOnly? ParseDate(object? value)
    {
        switch (value)
        {
            case DateTime dt: return DateOnly.FromDateTime(dt);
            case double d when d is > 1 and < 100000: return DateOnly.FromDateTime(DateTime.FromOADate(d));
        }
        var text = CellText(value);
        if (text is null) return null;
        string[] formats = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyy-M-d", "yyyy/M/d", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd HH:mm:ss", "yyyy/M/d H:mm:ss"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return DateOnly.FromDateTime(parsed);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 100000)
            return DateOnly.FromDateTime(DateTime.FromOADate(serial));
        return null;
    }
}
