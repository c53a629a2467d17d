using System.Globalization;
using EduBureau.Core.Common;

namespace EduBureau.Core.Imports;

public enum IssueLevel { Error, Warning }

/// <summary>One finding: sheet, row as Excel shows it (0 for the file as a whole), column header, the bad value and why.</summary>
public sealed record ImportIssue(IssueLevel Level, string Sheet, int Row, string Column, string? Value, string Message)
{
    public override string ToString()
    {
        var where = Row > 0 ? $"{Sheet} 第{Row}行" : Sheet;
        var col = Column.Length > 0 ? $"“{Column}”列" : "";
        var val = Value is null ? "" : $"（值：“{Value}”）";
        return $"{(Level == IssueLevel.Error ? "错误" : "警告")}：{where} {col}{Message}{val}";
    }

    /// <summary>The text shown in the 错误 column of the error workbook.</summary>
    public string CellText => $"{(Level == IssueLevel.Warning ? "[警告] " : "")}{Column}：{Message}{(Value is null ? "" : $"（“{Value}”）")}";
}

/// <summary>
/// Everything found in one import. Keeps the first <see cref="KeepFirst"/> issues in full, the per-row texts for the
/// error workbook (up to a cap, so a file wrong on every row cannot exhaust memory), and counts by kind for 汇总.
/// </summary>
public sealed class IssueLog
{
    /// <summary>Issues kept in full: <see cref="ImportLimits.MaxErrors"/> (the rest are counted in 汇总).</summary>
    public static int KeepFirst => ImportLimits.Current.MaxErrors;
    private const int MaxRowTexts = 200_000;
    private readonly List<ImportIssue> _first = [];
    private readonly Dictionary<int, List<string>> _byRow = [];
    private readonly Dictionary<(IssueLevel, string Column, string Message), (int Count, int FirstRow)> _kinds = [];

    public int Errors { get; private set; }
    public int Warnings { get; private set; }
    public bool Muted { get; set; }
    public IReadOnlyList<ImportIssue> First => _first;
    public bool HasErrors => Errors > 0;

    public void Add(ImportIssue issue, string? kind = null)
    {
        if (Muted) return;
        if (issue.Level == IssueLevel.Error) Errors++; else Warnings++;
        if (_first.Count < KeepFirst) _first.Add(issue);
        if (issue.Row > 0 && (_byRow.Count < MaxRowTexts || _byRow.ContainsKey(issue.Row)))
        {
            if (!_byRow.TryGetValue(issue.Row, out var list)) _byRow[issue.Row] = list = [];
            list.Add(issue.CellText);
        }
        var key = (issue.Level, issue.Column, kind ?? issue.Message);
        _kinds[key] = _kinds.TryGetValue(key, out var c) ? (c.Count + 1, c.FirstRow) : (1, issue.Row);
    }

    /// <summary>Issue text for a row, or null when the row is clean.</summary>
    public string? ForRow(int row) => _byRow.TryGetValue(row, out var list) ? string.Join("；", list) : null;

    /// <summary>Counts by (level, column, kind of problem), most frequent first.</summary>
    public IEnumerable<(IssueLevel Level, string Column, string Kind, int Count, int FirstRow)> Kinds =>
        _kinds.OrderBy(k => k.Key.Item1).ThenByDescending(k => k.Value.Count)
            .Select(k => (k.Key.Item1, k.Key.Column, k.Key.Message, k.Value.Count, k.Value.FirstRow));
}

/// <summary>
/// The current row seen through a template: cells by template column, typed readers that record an issue
/// (naming sheet, row, header and value) when a cell is wrong.
/// </summary>
public sealed class RowReader
{
    private readonly RowSource _source;
    private readonly int[] _map;
    private readonly Template _template;

    internal RowReader(RowSource source, int[] map, Template template, IssueLog log)
    {
        _source = source;
        _map = map;
        _template = template;
        Log = log;
    }

    public IssueLog Log { get; }
    public int Row => _source.RowNumber;
    /// <summary>Errors recorded for the current row (reset by <see cref="Next"/>).</summary>
    public int RowErrors { get; private set; }

    /// <summary>Starts a row: a code column (学籍号, 身份证件号, 学校标识码 …) stored as a long number is reported once here.</summary>
    internal void Next()
    {
        RowErrors = 0;
        _lostDigits = 0;
        for (var c = 0; c < _map.Length && c < 64; c++)
            if (_map[c] >= 0 && _template.Columns[c].Text && _source.IsLongNumber(_map[c]))
            {
                _lostDigits |= 1UL << c;
                Error(c, _source.Get(_map[c]), RowSource.LostDigits, "长号码以数字格式保存");
            }
    }

    /// <summary>Columns of this row whose number lost digits: read as empty (already reported), never guessed.</summary>
    private ulong _lostDigits;

    private bool LostDigits(int column) => column < 64 && (_lostDigits & (1UL << column)) != 0;

    public string? this[int column] => _map[column] < 0 || LostDigits(column) ? null : _source.Get(_map[column]);

    public void Error(int column, string? value, string message, string? kind = null)
    {
        RowErrors++;
        Log.Add(new ImportIssue(IssueLevel.Error, _source.SheetName, Row, _template.Columns[column].Header, value, message), kind);
    }

    public void Warning(int column, string? value, string message, string? kind = null) =>
        Log.Add(new ImportIssue(IssueLevel.Warning, _source.SheetName, Row, _template.Columns[column].Header, value, message), kind);

    /// <summary>Text, required or not (<paramref name="required"/> overrides the template for this row), within a length.</summary>
    public string? Text(int column, int maxLength, bool? required = null)
    {
        var v = this[column];
        if (v is null)
        {
            if ((required ?? _template.Columns[column].Required) && !LostDigits(column)) Error(column, null, "必填项为空");
            return null;
        }
        if (v.Length > maxLength) { Error(column, v, $"超过{maxLength}个字符", "长度超限"); return null; }
        return v;
    }

    public T? Choice<T>(int column) where T : struct, Enum
    {
        var v = this[column];
        if (v is null)
        {
            if (_template.Columns[column].Required) Error(column, null, "必填项为空");
            return null;
        }
        if (Labels.TryParse<T>(v, out var e)) return e;
        Error(column, v, $"不是允许的值（应为：{string.Join("、", Labels.Of<T>())}）", "不是允许的值");
        return null;
    }

    public bool YesNo(int column, bool empty = false)
    {
        var v = this[column];
        if (v is null) return empty;
        if (Labels.TryParseYesNo(v, out var b)) return b;
        Error(column, v, "应为“是”或“否”", "不是“是/否”");
        return empty;
    }

    public DateOnly? Date(int column)
    {
        var v = this[column];
        if (v is null)
        {
            if (_template.Columns[column].Required) Error(column, null, "必填项为空");
            return null;
        }
        if (Cells.TryParseDate(v, out var d)) return d;
        Error(column, v, "不是有效日期（应为 YYYY-MM-DD、YYYY/MM/DD 或 Excel 日期）", "日期无效");
        return null;
    }

    /// <summary>年月 as "YYYY-MM" (accepts YYYY-MM, YYYY/MM, YYYY.MM or a full date).</summary>
    public string? YearMonth(int column)
    {
        var v = this[column];
        if (v is null) return null;
        if (Cells.TryParseYearMonth(v, out var ym)) return ym;
        Error(column, v, "不是有效年月（应为 YYYY-MM）", "年月无效");
        return null;
    }

    public int? Int(int column, int min, int max)
    {
        var v = this[column];
        if (v is null)
        {
            if (_template.Columns[column].Required) Error(column, null, "必填项为空");
            return null;
        }
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && d >= min && d <= max)
            return (int)d;
        Error(column, v, $"应为{min}到{max}之间的整数", "整数无效");
        return null;
    }

    public double? Number(int column, double min, double max)
    {
        var v = this[column];
        if (v is null)
        {
            if (_template.Columns[column].Required) Error(column, null, "必填项为空");
            return null;
        }
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max && double.IsFinite(d))
            return d;
        Error(column, v, $"应为{min}到{max}之间的数", "数值无效");
        return null;
    }
}

public static class Cells
{
    public static bool TryParseDate(string v, out DateOnly date)
    {
        date = default;
        var s = v.Trim();
        var sep = s.IndexOfAny(['-', '/']);
        if (sep != 4) return false;
        var parts = s.Split(s[sep]);
        if (parts.Length != 3 || parts[1].Length is < 1 or > 2 || parts[2].Length is < 1 or > 2) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var d)) return false;
        if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return false;
        date = new DateOnly(y, m, d);
        return true;
    }

    public static bool TryParseYearMonth(string v, out string ym)
    {
        ym = "";
        var s = v.Trim();
        if (TryParseDate(s, out var d)) { ym = d.ToString("yyyy-MM", CultureInfo.InvariantCulture); return true; }
        if (s.Length < 6 || s.IndexOfAny(['-', '/', '.']) != 4) return false;
        if (!int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(s.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (y is < 1900 or > 2199 || m is < 1 or > 12) return false;
        ym = $"{y:0000}-{m:00}";
        return true;
    }

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>64-bit FNV-1a: in-file duplicate checks keep hashes, not a million strings.</summary>
    public static ulong Hash(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in s) { h ^= ch; h *= 1099511628211UL; }
        return h;
    }
}
