using System.Globalization;
using MiniExcelLibs;

namespace EduBureau.Core.Dropout;

/// <summary>One data row of an exchange workbook: cell text by header, with the sheet row number for messages.</summary>
internal sealed class SheetRow(int number, Dictionary<string, object?> cells, IReadOnlyDictionary<string, string> letters)
{
    public int Number { get; } = number;

    public object? Raw(string header) => cells.GetValueOrDefault(header);

    /// <summary>Trimmed text, or null when empty. Numbers come back as their digits (a 学籍号 typed as a number).</summary>
    public string? Text(string header) => SheetReader.CellText(Raw(header));

    public string Where(string header) => letters.TryGetValue(header, out var l) ? $"第{Number}行 {l}列（{header}）" : $"第{Number}行（{header}）";
}

/// <summary>
/// Reads the first sheet of an .xlsx (or a UTF-8 .csv) whose first row holds the template's Chinese headers
/// (templates.md): column order free, extra columns warned about, missing required columns an error.
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
        List<IDictionary<string, object?>> raw;
        try
        {
            raw = stream.Query(useHeaderRow: false, excelType: ext == ".csv" ? ExcelType.CSV : ExcelType.XLSX)
                .Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add($"文件 {fileName} 无法读取（不是有效的 {ext} 文件）：{e.Message}");
            return new Sheet(rows, errors, warnings);
        }
        if (raw.Count == 0)
        {
            errors.Add($"文件 {fileName} 是空的：第1行应为表头");
            return new Sheet(rows, errors, warnings);
        }
        var headerByLetter = new Dictionary<string, string>();
        var letterByHeader = new Dictionary<string, string>();
        foreach (var (letter, value) in raw[0])
        {
            var h = CellText(value)?.TrimStart('\uFEFF').Replace("*", "").Trim();
            if (string.IsNullOrEmpty(h)) continue;
            if (letterByHeader.ContainsKey(h)) { errors.Add($"文件 {fileName} 第1行：表头“{h}”重复"); continue; }
            headerByLetter[letter] = h;
            letterByHeader[h] = letter;
        }
        foreach (var r in required.Where(r => !letterByHeader.ContainsKey(r)))
            errors.Add($"文件 {fileName}：缺少必需列“{r}”");
        var extra = letterByHeader.Keys.Where(h => !required.Contains(h) && !optional.Contains(h)).ToList();
        if (extra.Count > 0) warnings.Add($"文件 {fileName}：已忽略无法识别的列 {string.Join("、", extra.Select(h => $"“{h}”"))}");
        for (var i = 1; i < raw.Count; i++)
        {
            var cells = new Dictionary<string, object?>();
            foreach (var (letter, value) in raw[i])
                if (headerByLetter.TryGetValue(letter, out var h)) cells[h] = value;
            if (cells.Values.All(v => CellText(v) is null)) continue; // blank line
            rows.Add(new SheetRow(i + 1, cells, letterByHeader));
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
