using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace EduBureau.Core.Imports;

/// <summary>
/// A small streaming .xlsx writer: sheets are written row by row straight into the zip (inline strings, no
/// shared-string table to hold), so an export or an error workbook of a million rows needs no memory beyond a row.
/// Supports a bold header row, column widths, text-formatted columns and list drop-downs (data validation).
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly List<string> _sheets = [];
    private XmlWriter? _xml;
    private Stream? _entryStream;
    private int _row;
    private readonly List<(int Column, IReadOnlyList<string> Values)> _validations = [];

    public XlsxWriter(Stream output) => _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);

    public static XlsxWriter Create(string path) => new(File.Create(path), ownsStream: true);

    private readonly Stream? _owned;

    /// <summary>Bytes written so far to a file opened by <see cref="Create"/> (0 for a caller's stream).</summary>
    public long BytesWritten => _owned?.Length ?? 0;
    private XlsxWriter(Stream output, bool ownsStream) : this(output) => _owned = ownsStream ? output : null;

    /// <summary>Starts a sheet. <paramref name="textColumns"/> are formatted as text (so typed ID numbers keep their digits).</summary>
    public void StartSheet(string name, IReadOnlyList<double>? widths = null, IReadOnlyCollection<int>? textColumns = null)
    {
        if (_xml is not null) EndSheet();
        _sheets.Add(name);
        _entryStream = _zip.CreateEntry($"xl/worksheets/sheet{_sheets.Count}.xml", CompressionLevel.Fastest).Open();
        _xml = XmlWriter.Create(_entryStream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CheckCharacters = false });
        var x = _xml;
        x.WriteStartDocument(true);
        x.WriteStartElement("worksheet", Ns);
        {
            x.WriteStartElement("sheetViews");
            x.WriteStartElement("sheetView");
            x.WriteAttributeString("workbookViewId", "0");
            if (_sheets.Count == 1) x.WriteAttributeString("tabSelected", "1");
            x.WriteStartElement("pane");
            x.WriteAttributeString("ySplit", "1");
            x.WriteAttributeString("topLeftCell", "A2");
            x.WriteAttributeString("activePane", "bottomLeft");
            x.WriteAttributeString("state", "frozen");
            x.WriteEndElement();
            x.WriteEndElement();
            x.WriteEndElement();
        }
        if (widths is { Count: > 0 })
        {
            x.WriteStartElement("cols");
            for (var i = 0; i < widths.Count; i++)
            {
                x.WriteStartElement("col");
                x.WriteAttributeString("min", (i + 1).ToString(CultureInfo.InvariantCulture));
                x.WriteAttributeString("max", (i + 1).ToString(CultureInfo.InvariantCulture));
                x.WriteAttributeString("width", widths[i].ToString(CultureInfo.InvariantCulture));
                x.WriteAttributeString("customWidth", "1");
                if (textColumns?.Contains(i) == true) x.WriteAttributeString("style", "2");
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        x.WriteStartElement("sheetData");
        _row = 0;
        _validations.Clear();
    }

    /// <summary>Writes the next row; null or empty cells are left out.</summary>
    public void WriteRow(IReadOnlyList<string?> cells, bool bold = false)
    {
        var x = _xml ?? throw new InvalidOperationException("StartSheet first");
        _row++;
        var rowText = _row.ToString(CultureInfo.InvariantCulture);
        x.WriteStartElement("row");
        x.WriteAttributeString("r", rowText);
        for (var i = 0; i < cells.Count; i++)
        {
            var v = cells[i];
            if (string.IsNullOrEmpty(v)) continue;
            x.WriteStartElement("c");
            x.WriteAttributeString("r", ColumnName(i) + rowText);
            x.WriteAttributeString("t", "inlineStr");
            if (bold) x.WriteAttributeString("s", "1");
            x.WriteStartElement("is");
            x.WriteStartElement("t");
            if (v[0] == ' ' || v[^1] == ' ') x.WriteAttributeString("xml", "space", null, "preserve");
            x.WriteString(Clean(v));
            x.WriteEndElement();
            x.WriteEndElement();
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }

    /// <summary>A drop-down list for a column (rows 2 onwards) of the current sheet.</summary>
    public void AddListValidation(int column, IReadOnlyList<string> values) => _validations.Add((column, values));

    public void EndSheet()
    {
        var x = _xml;
        if (x is null) return;
        x.WriteEndElement(); // sheetData
        if (_validations.Count > 0)
        {
            x.WriteStartElement("dataValidations");
            x.WriteAttributeString("count", _validations.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var (col, values) in _validations)
            {
                x.WriteStartElement("dataValidation");
                x.WriteAttributeString("type", "list");
                x.WriteAttributeString("allowBlank", "1");
                x.WriteAttributeString("showErrorMessage", "1");
                x.WriteAttributeString("errorTitle", "输入值无效");
                x.WriteAttributeString("error", "请从下拉列表中选择：" + string.Join("、", values));
                x.WriteAttributeString("sqref", $"{ColumnName(col)}2:{ColumnName(col)}1048576");
                x.WriteElementString("formula1", Ns, "\"" + string.Join(",", values) + "\"");
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        x.WriteEndElement(); // worksheet
        x.WriteEndDocument();
        x.Dispose();
        _entryStream!.Dispose();
        _xml = null;
    }

    public void Dispose()
    {
        if (_xml is not null) EndSheet();
        if (_sheets.Count == 0) { StartSheet("Sheet1"); EndSheet(); }
        WriteText("[Content_Types].xml", ContentTypes());
        WriteText("_rels/.rels",
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        var wb = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>""");
        var rels = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""");
        for (var i = 0; i < _sheets.Count; i++)
        {
            wb.Append($"""<sheet name="{System.Security.SecurityElement.Escape(_sheets[i])}" sheetId="{i + 1}" r:id="rId{i + 1}"/>""");
            rels.Append($"""<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>""");
        }
        wb.Append("</sheets></workbook>");
        rels.Append($"""<Relationship Id="rId{_sheets.Count + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""");
        WriteText("xl/workbook.xml", wb.ToString());
        WriteText("xl/_rels/workbook.xml.rels", rels.ToString());
        WriteText("xl/styles.xml",
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>""");
        _zip.Dispose();
        _owned?.Dispose();
    }

    private string ContentTypes()
    {
        var sb = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>""");
        for (var i = 0; i < _sheets.Count; i++)
            sb.Append($"""<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>""");
        return sb.Append("</Types>").ToString();
    }

    private void WriteText(string path, string text)
    {
        using var s = _zip.CreateEntry(path, CompressionLevel.Fastest).Open();
        var bytes = new UTF8Encoding(false).GetBytes(text);
        s.Write(bytes);
    }

    private const string Ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>Control characters are not allowed in XML: Excel's own escape is _xHHHH_.</summary>
    private static string Clean(string v)
    {
        foreach (var ch in v)
            if (ch < 0x20 && ch is not '\t' and not '\n' and not '\r' || ch is '\uFFFE' or '\uFFFF' || char.IsSurrogate(ch))
                return Escape(v);
        return v;
    }

    private static string Escape(string v)
    {
        var sb = new StringBuilder(v.Length + 8);
        for (var i = 0; i < v.Length; i++)
        {
            var ch = v[i];
            if (char.IsHighSurrogate(ch) && i + 1 < v.Length && char.IsLowSurrogate(v[i + 1])) { sb.Append(ch).Append(v[++i]); continue; }
            if (ch < 0x20 && ch is not '\t' and not '\n' and not '\r' || ch is '\uFFFE' or '\uFFFF' || char.IsSurrogate(ch))
                sb.Append("_x").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture)).Append('_');
            else sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>A, B, …, Z, AA, …</summary>
    public static string ColumnName(int index) => index < FirstColumns.Length ? FirstColumns[index] : MakeColumnName(index);

    private static readonly string[] FirstColumns = Enumerable.Range(0, 256).Select(MakeColumnName).ToArray();

    private static string MakeColumnName(int index)
    {
        var n = index + 1;
        var s = "";
        while (n > 0) { n--; s = (char)('A' + n % 26) + s; n /= 26; }
        return s;
    }
}
