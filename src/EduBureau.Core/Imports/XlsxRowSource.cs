using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace EduBureau.Core.Imports;

/// <summary>
/// Reads the first sheet of an .xlsx with one <see cref="XmlReader"/> over the zip entry: no DOM, no per-row
/// dictionaries. Shared strings are kept in one char buffer (offsets into it) rather than a million strings;
/// styles are read only to know which number formats are dates.
/// </summary>
internal sealed class XlsxRowSource : RowSource
{
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private readonly Stream _file;
    private readonly ArchiveStream _archive;
    private readonly ZipArchive _zip;
    private readonly PartStream _sheetStream;
    private readonly XmlReader _xml;
    private readonly long _sheetLength;
    private readonly string _name;
    private char[] _pool = new char[1 << 16];
    private int _poolLength;
    private int[] _starts = new int[1024];
    private int _stringCount;
    private bool[] _dateStyles = [];
    private string?[] _cells;
    private bool[] _longNumbers = new bool[64];
    private int _cellCount;
    private int _lastRow;
    private readonly object _row, _c, _v, _is, _t, _rPh, _sheetData, _dimension;

    public XlsxRowSource(string path, string name, ImportLimits limits)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), name, limits, 0, checking: false) { }

    /// <summary>
    /// Reads the sheet at <paramref name="sheetIndex"/> (0 = first) of a seekable stream, which it then owns. When
    /// <paramref name="checking"/>, a sheet this reader cannot take (a chart, an empty sheet) is skipped, not refused.
    /// </summary>
    private XlsxRowSource(Stream file, string name, ImportLimits limits, int sheetIndex, bool checking)
    {
        _name = name;
        Limits = limits;
        _file = file;
        _archive = new ArchiveStream(file);
        try
        {
            try { _zip = new ZipArchive(_archive, ZipArchiveMode.Read, leaveOpen: true); }
            catch (InvalidDataException e) { throw new ImportFileException($"文件“{name}”已损坏，不是有效的 .xlsx 工作簿", e); }

            var workbookPath = FindTarget(ReadRels("_rels/.rels"), "/officeDocument", "") ?? "xl/workbook.xml";
            var workbookDir = workbookPath.Contains('/') ? workbookPath[..(workbookPath.LastIndexOf('/') + 1)] : "";
            var relsPath = workbookDir + "_rels/" + workbookPath[(workbookPath.LastIndexOf('/') + 1)..] + ".rels";
            var rels = ReadRels(relsPath);
            var (sheetName, sheetRel) = SheetAt(workbookPath, sheetIndex);
            SheetName = sheetName;
            if (!rels.TryGetValue(sheetRel, out var sheet))
                throw new ImportFileException($"文件“{name}”已损坏：找不到工作表“{sheetName}”");
            if (!sheet.Type.EndsWith("/worksheet", StringComparison.Ordinal))
                throw new ImportFileException(sheet.Type.EndsWith("/chartsheet", StringComparison.Ordinal)
                    ? $"文件“{name}”的第一个工作表“{sheetName}”是图表，不是数据表：请把数据表移到第一个位置后再导入"
                    : $"文件“{name}”的第一个工作表“{sheetName}”不是普通数据表：请把数据表移到第一个位置后再导入");
            if (FindTarget(rels, "/sharedStrings", workbookDir) is { } ss) LoadSharedStrings(ss);
            if (FindTarget(rels, "/styles", workbookDir) is { } st) LoadStyles(st);

            var entry = Entry(Resolve(workbookDir, sheet.Target))
                ?? throw new ImportFileException($"文件“{name}”已损坏：缺少工作表“{sheetName}”的内容");
            _sheetLength = entry.Length;
            _sheetStream = OpenPart(entry, $"工作表“{sheetName}”");
            _xml = XmlReader.Create(_sheetStream, XmlSettings);
            var nt = _xml.NameTable;
            _row = nt.Add("row"); _c = nt.Add("c"); _v = nt.Add("v"); _is = nt.Add("is"); _t = nt.Add("t"); _rPh = nt.Add("rPh");
            _sheetData = nt.Add("sheetData");
            _dimension = nt.Add("dimension");
            _cells = new string?[64];
            if (!ReadRowCore())
                throw new ImportFileException($"文件“{name}”的工作表“{sheetName}”是空的：第一行应为表头");
            var headers = new string[_cellCount];
            for (var i = 0; i < _cellCount; i++) headers[i] = _cells[i]?.Trim() ?? "";
            Headers = headers;
        }
        catch (ImportFileException e)
        {
            Dispose();
            if (checking && !e.OverLimit && SheetName.Length > 0) throw new SkipSheetException();
            throw;
        }
        catch (Exception e) when (e is XmlException or InvalidDataException or IOException)
        {
            Dispose();
            throw new ImportFileException($"文件“{name}”已损坏，不是有效的 .xlsx 工作簿（{e.Message}）", e);
        }
    }

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        IgnoreComments = true, IgnoreProcessingInstructions = true, DtdProcessing = DtdProcessing.Prohibit, CloseInput = true,
    };

    public override long Position => _sheetStream?.Count ?? 0;
    public override long Length => _sheetLength;

    public override bool Read()
    {
        try { return ReadRowCore(); }
        catch (Exception e) when (e is XmlException or InvalidDataException or IOException)
        {
            throw new ImportFileException($"文件“{_name}”在第{_lastRow + 1}行附近已损坏，无法继续读取（{e.Message}）", e);
        }
    }

    public override bool IsLongNumber(int column) => column < _cellCount && column < _longNumbers.Length && _longNumbers[column];

    /// <summary>A number cell's text with more than 15 digits (dates and decimals are shorter, so only long integers pass).</summary>
    private static bool IsLongInteger(string value)
    {
        var digits = 0;
        foreach (var ch in value)
            if (char.IsAsciiDigit(ch)) digits++;
            else if (ch != '-') return false;
        return digits > 15;
    }

    public override string? Get(int column)
    {
        if (column >= _cellCount) return null;
        var s = _cells[column];
        return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    }

    /// <summary>Advances to the next row that has at least one non-empty cell.</summary>
    private bool ReadRowCore()
    {
        var x = _xml;
        while (true)
        {
            // Find the next <row>.
            while (true)
            {
                if (!x.Read()) return false;
                if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _row)) break;
                if (x.NodeType == XmlNodeType.EndElement && ReferenceEquals(x.LocalName, _sheetData)) return false;
                if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _dimension)) CheckDimension(x.GetAttribute("ref"));
            }
            var r = x.GetAttribute("r");
            RowNumber = r is null ? _lastRow + 1
                : int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var rn) ? rn
                : r.Length > 0 && r.All(char.IsAsciiDigit) ? int.MaxValue : _lastRow + 1;
            _lastRow = RowNumber;
            CheckRow(_name, RowNumber);
            Array.Clear(_cells, 0, _cellCount);
            Array.Clear(_longNumbers, 0, Math.Min(_cellCount, _longNumbers.Length));
            _cellCount = 0;
            var any = false;
            if (x.IsEmptyElement) continue;
            var next = 0;
            while (x.Read())
            {
                if (x.NodeType == XmlNodeType.EndElement && ReferenceEquals(x.LocalName, _row)) break;
                if (x.NodeType != XmlNodeType.Element || !ReferenceEquals(x.LocalName, _c)) continue;
                var refText = x.GetAttribute("r");
                var col = refText is null ? next : ColumnIndex(refText);
                // Before the row arrays grow to it: "ZZZZZ1" is column 12,356,630 (#14).
                CheckColumn(_name, RowNumber, col, refText is null ? null : Letters(refText));
                next = col + 1;
                var type = x.GetAttribute("t");
                var styleText = x.GetAttribute("s");
                var value = ReadCell(x, type, styleText);
                if (value is not null) CheckLength(_name, RowNumber, col, value.Length);
                if (col >= _cells.Length) Array.Resize(ref _cells, Math.Max(col + 1, _cells.Length * 2));
                _cells[col] = value;
                if (type is null or "n" && value is { Length: > 15 } && IsLongInteger(value))
                {
                    if (col >= _longNumbers.Length) Array.Resize(ref _longNumbers, Math.Max(col + 1, _longNumbers.Length * 2));
                    _longNumbers[col] = true;
                }
                if (col + 1 > _cellCount) _cellCount = col + 1;
                if (!string.IsNullOrWhiteSpace(value)) any = true;
            }
            if (any) return true;
        }
    }

    private string? ReadCell(XmlReader x, string? type, string? styleText)
    {
        if (x.IsEmptyElement) return null;
        string? raw = null;
        string? inline = null;
        var depth = x.Depth;
        while (x.Read())
        {
            if (x.NodeType == XmlNodeType.EndElement && x.Depth == depth) break;
            if (x.NodeType != XmlNodeType.Element) continue;
            if (ReferenceEquals(x.LocalName, _v))
                raw = x.ReadElementContentAsString();
            else if (ReferenceEquals(x.LocalName, _is))
                inline = ReadInline(x);
            // Each ReadElementContent leaves the reader on the next node: re-check it without advancing.
            if (x.NodeType == XmlNodeType.EndElement && x.Depth == depth) break;
        }
        switch (type)
        {
            case "s":
                return raw is not null && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < _stringCount
                    ? new string(_pool, _starts[i], (i + 1 < _stringCount ? _starts[i + 1] : _poolLength) - _starts[i])
                    : raw;
            case "inlineStr": return inline is null ? raw : Unescape(inline);
            case "str" or "e": return raw;
            case "b": return raw == "1" ? "是" : raw == "0" ? "否" : raw;
            case "d": return raw is { Length: >= 10 } ? raw[..10] : raw;
            default:
                if (raw is null) return inline;
                var style = styleText is not null && int.TryParse(styleText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                if (style < _dateStyles.Length && _dateStyles[style]
                    && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var oa) && oa is > 0 and < 2958466)
                    return DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(oa))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return NumberText(raw);
        }
    }

    /// <summary>Numbers as a person types them: 4.50102E+17 → its digits, so a 学籍号 typed as a number survives.</summary>
    private static string NumberText(string raw)
    {
        if (raw.AsSpan().IndexOfAny('E', 'e') < 0) return raw;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return raw;
        if (Math.Abs(d) < 7.9e27 && Math.Floor(d) == d) return ((decimal)d).ToString("0", CultureInfo.InvariantCulture);
        return d.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// An inline string (&lt;is&gt;). Nearly always one &lt;t&gt; run, taken as is; several runs are joined. A million-row
    /// workbook has twenty million of these, so no builder per cell.
    /// </summary>
    private string ReadInline(XmlReader x)
    {
        if (x.IsEmptyElement) { x.Read(); return ""; }
        var depth = x.Depth;
        x.Read();
        string? first = null;
        StringBuilder? more = null;
        while (!(x.NodeType == XmlNodeType.EndElement && x.Depth == depth) && !x.EOF)
        {
            if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _rPh)) { x.Skip(); continue; }
            if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _t))
            {
                var run = x.ReadElementContentAsString();
                if (first is null) first = run;
                else (more ??= new StringBuilder(first)).Append(run);
                continue;
            }
            x.Read();
        }
        x.Read(); // past </is>
        return more?.ToString() ?? first ?? "";
    }

    /// <summary>0-based column of a reference like "B7"; int.MaxValue for letters beyond any sheet (no overflow to a negative index).</summary>
    private static int ColumnIndex(string cellRef)
    {
        var col = 0;
        foreach (var ch in cellRef)
        {
            if (ch is >= 'A' and <= 'Z') col = col * 26 + (ch - 'A' + 1);
            else if (ch is >= 'a' and <= 'z') col = col * 26 + (ch - 'a' + 1);
            else break;
            if (col > 1_000_000) return int.MaxValue;
        }
        return col - 1;
    }

    /// <summary>
    /// &lt;dimension ref="A1:ZZZZZ200"/&gt; claims the sheet's extent; readers that size rows by it (MiniExcel, behind the
    /// admission upload's check) would allocate that many columns, so a claim past the limits is refused like a cell.
    /// </summary>
    private void CheckDimension(string? range)
    {
        if (string.IsNullOrEmpty(range)) return;
        var last = range[(range.LastIndexOf(':') + 1)..];
        var letters = Letters(last);
        if (letters.Length == 0) return;
        var digits = last.AsSpan(last.TakeWhile(char.IsAsciiLetter).Count());
        CheckColumn(_name, 1, ColumnIndex(last), letters);
        if (digits.Length > 0)
            CheckRow(_name, int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : int.MaxValue);
    }

    /// <summary>The column letters of a reference, for a message (a hostile one can be long).</summary>
    private static string Letters(string cellRef)
    {
        var n = 0;
        while (n < cellRef.Length && char.IsAsciiLetter(cellRef[n])) n++;
        return n > 12 ? cellRef[..12].ToUpperInvariant() + "…" : cellRef[..n].ToUpperInvariant();
    }

    private void LoadSharedStrings(string path)
    {
        var entry = Entry(path);
        if (entry is null) return;
        using var x = XmlReader.Create(OpenPart(entry, "共享字符串（sharedStrings.xml）"), XmlSettings);
        var si = x.NameTable.Add("si");
        // The element names ReadSi compares by reference must be atomised in this reader's table.
        var sb = new StringBuilder();
        var t = x.NameTable.Add("t");
        var rPh = x.NameTable.Add("rPh");
        x.MoveToContent();
        while (!x.EOF)
        {
            if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, si))
            {
                sb.Clear();
                ReadSi(x, sb, t, rPh);
                AddShared(Unescape(sb.ToString()));
                continue;
            }
            x.Read();
        }
    }

    private static void ReadSi(XmlReader x, StringBuilder sb, string t, string rPh)
    {
        if (x.IsEmptyElement) { x.Read(); return; }
        var depth = x.Depth;
        x.Read();
        while (!(x.NodeType == XmlNodeType.EndElement && x.Depth == depth) && !x.EOF)
        {
            if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, rPh)) { x.Skip(); continue; }
            if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, t)) { sb.Append(x.ReadElementContentAsString()); continue; }
            x.Read();
        }
        x.Read();
    }

    private void AddShared(string s)
    {
        // Held in memory for the whole read: refused past the limits before the arrays grow (#14: a 2.3 MB file's
        // sharedStrings.xml expanded to 1 GB).
        if (_stringCount >= Limits.MaxSharedStrings)
            throw RefusePart("共享字符串（sharedStrings.xml）", $"超过 {Limits.MaxSharedStrings} 个");
        if ((long)_poolLength + s.Length > Limits.MaxSharedStringChars)
            throw RefusePart("共享字符串（sharedStrings.xml）", $"合计超过 {Limits.MaxSharedStringChars} 个字符");
        if (_stringCount == _starts.Length) Array.Resize(ref _starts, (int)Math.Min((long)_starts.Length * 2, Limits.MaxSharedStrings));
        if (_poolLength + s.Length > _pool.Length)
            Array.Resize(ref _pool, (int)Math.Min(Math.Max((long)_pool.Length * 2, _poolLength + s.Length), Limits.MaxSharedStringChars));
        _starts[_stringCount++] = _poolLength;
        s.CopyTo(0, _pool, _poolLength, s.Length);
        _poolLength += s.Length;
    }

    /// <summary>Excel writes control characters as _xHHHH_.</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains("_x", StringComparison.Ordinal)) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '_' && i + 6 < s.Length && s[i + 1] == 'x' && s[i + 6] == '_'
                && int.TryParse(s.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                sb.Append((char)code);
                i += 6;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private void LoadStyles(string path)
    {
        var entry = Entry(path);
        if (entry is null) return;
        var customDate = new HashSet<int>();
        var xfs = new List<bool>();
        using var x = XmlReader.Create(OpenPart(entry, "样式（styles.xml）"), XmlSettings);
        var inCellXfs = false;
        while (x.Read())
        {
            if (x.NodeType == XmlNodeType.Element && x.LocalName == "numFmt"
                && int.TryParse(x.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var id) && IsDateFormat(x.GetAttribute("formatCode")))
                customDate.Add(id);
            else if (x.NodeType == XmlNodeType.Element && x.LocalName == "cellXfs") inCellXfs = !x.IsEmptyElement;
            else if (x.NodeType == XmlNodeType.EndElement && x.LocalName == "cellXfs") inCellXfs = false;
            else if (inCellXfs && x.NodeType == XmlNodeType.Element && x.LocalName == "xf")
            {
                var f = int.TryParse(x.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var n) ? n : 0;
                xfs.Add(f is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58 || customDate.Contains(f));
            }
        }
        _dateStyles = [.. xfs];
    }

    private static bool IsDateFormat(string? code)
    {
        if (string.IsNullOrEmpty(code)) return false;
        var inQuote = false;
        var inBracket = false;
        foreach (var ch in code)
        {
            if (ch == '"') inQuote = !inQuote;
            else if (inQuote) continue;
            else if (ch == '[') inBracket = true;
            else if (ch == ']') inBracket = false;
            else if (inBracket) continue;
            else if (ch is 'y' or 'Y' or 'd' or 'D' or '年' or '日' or 'e') return true;
        }
        return false;
    }

    private (string Name, string RelId) SheetAt(string workbookPath, int index)
    {
        var entry = Entry(workbookPath) ?? throw new ImportFileException($"文件“{_name}”不是 Excel 工作簿（缺少 workbook.xml）");
        using var x = XmlReader.Create(OpenPart(entry, "workbook.xml"), XmlSettings);
        var i = 0;
        while (x.Read())
            if (x.NodeType == XmlNodeType.Element && x.LocalName == "sheet" && i++ == index)
                return (x.GetAttribute("name") ?? "Sheet1", x.GetAttribute("id", RelNs) ?? "");
        throw index == 0 ? new ImportFileException($"文件“{_name}”中没有任何工作表") : new NoSuchSheetException();
    }

    /// <summary>Thrown by the constructor when <c>sheetIndex</c> is past the last sheet (<see cref="CheckAllSheets"/> stops there).</summary>
    private sealed class NoSuchSheetException : Exception;

    /// <summary>Thrown by a checking constructor for a sheet it cannot read as a table (the caller's own reader judges it).</summary>
    private sealed class SkipSheetException : Exception;

    /// <summary>
    /// Reads every sheet of a workbook to its end through these limits, keeping nothing: the gate for readers that hold a
    /// whole workbook in memory (the admission upload's MiniExcel). Throws <see cref="ImportFileException"/> on the first
    /// breach or damage; a sheet that is not a table (a chart, an empty sheet) is left to the caller's reader.
    /// </summary>
    public static void CheckAllSheets(byte[] bytes, int length, string name, ImportLimits limits)
    {
        for (var i = 0; ; i++)
        {
            XlsxRowSource source;
            try { source = new XlsxRowSource(new MemoryStream(bytes, 0, length, writable: false), name, limits, i, checking: true); }
            catch (NoSuchSheetException) { return; }
            catch (SkipSheetException) { continue; }
            using (source)
                while (source.Read()) { }
        }
    }

    private sealed record Rel(string Target, string Type);

    private Dictionary<string, Rel> ReadRels(string path)
    {
        var map = new Dictionary<string, Rel>(StringComparer.Ordinal);
        var entry = Entry(path);
        if (entry is null) return map;
        using var x = XmlReader.Create(OpenPart(entry, path), XmlSettings);
        while (x.Read())
            if (x.NodeType == XmlNodeType.Element && x.LocalName == "Relationship")
                map[x.GetAttribute("Id") ?? ""] = new Rel(x.GetAttribute("Target") ?? "", x.GetAttribute("Type") ?? "");
        return map;
    }

    private static string? FindTarget(Dictionary<string, Rel> rels, string typeSuffix, string baseDir) =>
        rels.Values.FirstOrDefault(r => r.Type.EndsWith(typeSuffix, StringComparison.Ordinal)) is { } r ? Resolve(baseDir, r.Target) : null;

    private static string Resolve(string baseDir, string target)
    {
        if (target.StartsWith('/')) return target[1..];
        var parts = new List<string>((baseDir + target).Split('/', StringSplitOptions.RemoveEmptyEntries));
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] == "..") { parts.RemoveAt(i); if (i > 0) parts.RemoveAt(--i); i--; }
            else if (parts[i] == ".") parts.RemoveAt(i--);
        }
        return string.Join('/', parts);
    }

    private ZipArchiveEntry? Entry(string path) =>
        _zip.GetEntry(path) ?? _zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, path, StringComparison.OrdinalIgnoreCase));

    public override void Dispose()
    {
        _xml?.Dispose();
        _zip?.Dispose();
        _file.Dispose();
        base.Dispose();
    }

    private ImportFileException RefusePart(string part, string what) =>
        new($"文件“{_name}”的{part}{what}，超出了导入上限（可能是“压缩炸弹”或损坏的文件），未导入任何数据") { OverLimit = true };

    /// <summary>A part's inflated bytes, checked against the limits as they come (parts are read one at a time).</summary>
    private PartStream OpenPart(ZipArchiveEntry entry, string part) => new(entry.Open(), this, part, _archive.Consumed);

    /// <summary>The archive file, counting the compressed bytes the zip reader actually consumes.</summary>
    private sealed class ArchiveStream(Stream inner) : Stream
    {
        public long Consumed { get; private set; }
        public override int Read(byte[] buffer, int offset, int count) { var n = inner.Read(buffer, offset, count); Consumed += n; return n; }
        public override int Read(Span<byte> buffer) { var n = inner.Read(buffer); Consumed += n; return n; }
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// One part as it inflates: counts its bytes (for progress too) and refuses it past <see cref="ImportLimits.MaxEntryBytes"/>
    /// or, once past <see cref="ImportLimits.RatioFloorBytes"/>, when it has inflated more than
    /// <see cref="ImportLimits.MaxCompressionRatio"/> times the compressed bytes read for it. Only what is really read counts:
    /// a zip header that lies about either size changes nothing.
    /// </summary>
    private sealed class PartStream(Stream inner, XlsxRowSource owner, string part, long archiveStart) : Stream
    {
        public long Count { get; private set; }

        /// <summary>
        /// Bytes since the last '&lt;': the XML reader builds a text node whole before the cell-length check sees it, so a
        /// single 300 MB &lt;v&gt; that compresses too little for the ratio check is refused here, a few chunks in. Room for
        /// a longest cell written with the longest character references.
        /// </summary>
        private long _textRun;
        private long MaxTextRun => Math.Max(1_048_576, owner.Limits.MaxCellLength * 12L);

        private int Counted(Span<byte> data)
        {
            var n = data.Length;
            Count += n;
            var limits = owner.Limits;
            var first = data.IndexOf((byte)'<');
            // The run closed by this chunk's first '<' counts; then a new run starts after its last one.
            var run = first < 0 ? _textRun + n : _textRun + first;
            _textRun = first < 0 ? run : n - data.LastIndexOf((byte)'<') - 1;
            if (Math.Max(run, _textRun) > MaxTextRun)
                throw owner.RefusePart(part, $"中有一段超过 {MaxTextRun / 1024} KB 的连续文字（单元格内容过长）");
            if (Count > limits.MaxEntryBytes)
                throw owner.RefusePart(part, $"解压后超过 {limits.MaxEntryBytes / 1_048_576} MB");
            if (Count > ImportLimits.RatioFloorBytes)
            {
                var compressed = Math.Max(1, owner._archive.Consumed - archiveStart);
                if (Count / compressed > limits.MaxCompressionRatio)
                    throw owner.RefusePart(part, $"的压缩比超过 {limits.MaxCompressionRatio}:1（{compressed / 1024} KB 解压出 {Count / 1_048_576} MB 以上）");
            }
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Counted(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));
        public override int Read(Span<byte> buffer) => Counted(buffer[..inner.Read(buffer)]);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
