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
        using var file = SheetFile.Open(stream, fileName, required, optional);
        var rows = new List<SheetRow>();
        var errors = file.Errors;
        if (errors.Count == 0)
        {
            try { rows.AddRange(file.Rows()); }
            catch (ImportFileException e)
            {
                errors.Add(e.Message);
                rows.Clear();
            }
        }
        return new Sheet(rows, errors, file.Warnings);
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

/// <summary>
/// An exchange workbook read row by row, as often as needed, without holding its rows (a large file costs a row, not the
/// file: #14, the aid upload once took 1.3 GB for a 2.3 MB file). The upload is copied once to a temporary file, removed on
/// dispose. <see cref="Errors"/> holds the header problems (or why the file cannot be read); <see cref="Rows"/> throws
/// <see cref="ImportFileException"/> for a problem found further down.
/// </summary>
internal sealed class SheetFile : IDisposable
{
    private readonly string? _temp;
    private readonly string _path = "";
    private readonly string _name;
    private readonly List<(int Index, string Header)> _columns = [];
    private readonly Dictionary<string, string> _letters = [];

    public List<string> Errors { get; } = [];
    public List<string> Warnings { get; } = [];

    private SheetFile(string name, string? temp, string path)
    {
        _name = name;
        _temp = temp;
        _path = path;
    }

    public static SheetFile Open(Stream stream, string fileName, IReadOnlyCollection<string> required, IReadOnlyCollection<string> optional)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        if (ext is not (".xlsx" or ".csv"))
        {
            var refused = new SheetFile(fileName, null, "");
            refused.Errors.Add($"文件 {fileName}：只支持 .xlsx 或 .csv 文件");
            return refused;
        }
        // RowSource reads files (the zip directory is at the end of a workbook): an upload stream is copied to a temporary one.
        var temp = stream is FileStream { CanSeek: true } fs && Path.GetExtension(fs.Name).Equals(ext, StringComparison.OrdinalIgnoreCase)
            ? null : Path.Combine(Path.GetTempPath(), $"edu-sheet-{Guid.NewGuid():N}{ext}");
        var file = new SheetFile(fileName, temp, temp ?? ((FileStream)stream).Name);
        try
        {
            if (temp is not null)
                using (var copy = File.Create(temp)) stream.CopyTo(copy);
            using var source = RowSource.Open(file._path, fileName);
            for (var i = 0; i < source.Headers.Count; i++)
            {
                var h = source.Headers[i].Replace("*", "").Replace("＊", "").Trim();
                if (h.Length == 0) continue;
                if (file._letters.ContainsKey(h)) { file.Errors.Add($"文件 {fileName} 第1行：表头“{h}”重复"); continue; }
                file._letters[h] = XlsxWriter.ColumnName(i);
                file._columns.Add((i, h));
            }
            foreach (var r in required.Where(r => !file._letters.ContainsKey(r)))
                file.Errors.Add($"文件 {fileName}：缺少必需列“{r}”");
            var extra = file._letters.Keys.Where(h => !required.Contains(h) && !optional.Contains(h)).ToList();
            if (extra.Count > 0) file.Warnings.Add($"文件 {fileName}：已忽略无法识别的列 {string.Join("、", extra.Select(h => $"“{h}”"))}");
        }
        catch (ImportFileException e) { file.Errors.Add(e.Message); }
        catch { file.Dispose(); throw; }
        return file;
    }

    /// <summary>The data rows, read afresh from the file on each enumeration.</summary>
    public IEnumerable<SheetRow> Rows()
    {
        using var source = RowSource.Open(_path, _name);
        while (source.Read())
        {
            var cells = new Dictionary<string, string?>(_columns.Count);
            foreach (var (index, header) in _columns)
            {
                // A 学籍号, 身份证件号 or 学校标识码 stored as a number of more than 15 digits has lost its last digits (#14 finding 10).
                if (IsCode(header) && source.IsLongNumber(index))
                    throw new ImportFileException($"文件 {_name} 第{source.RowNumber}行 {_letters[header]}列（{header}）{RowSource.LostDigits}，未导入任何数据");
                cells[header] = source.Get(index);
            }
            yield return new SheetRow(source.RowNumber, cells, _letters);
        }
    }

    /// <summary>Columns that hold codes (学籍号, 身份证件号, 考号, 学校标识码, 教职工号 …), never quantities.</summary>
    private static bool IsCode(string header) => header.EndsWith('号') || header.EndsWith('码');

    public void Dispose()
    {
        if (_temp is not null) File.Delete(_temp);
    }
}
