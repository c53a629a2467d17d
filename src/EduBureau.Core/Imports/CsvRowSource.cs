using System.Text;
using Sylvan.Data.Csv;

namespace EduBureau.Core.Imports;

/// <summary>UTF-8 CSV (with or without BOM) read by Sylvan: header on line 1, records numbered from 2 as Excel shows them.</summary>
internal sealed class CsvRowSource : RowSource
{
    private readonly FileStream _stream;
    private readonly CsvDataReader _reader;
    private readonly string _name;

    public CsvRowSource(string path, string name, ImportLimits limits)
    {
        _name = name;
        Limits = limits;
        SheetName = name;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var text = new StreamReader(_stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16);
        try
        {
            _reader = CsvDataReader.Create(text, new CsvDataReaderOptions
            {
                HasHeaders = true, Delimiter = ',', BufferSize = 1 << 16, OwnsReader = true,
                // One record is buffered whole: a line of 1 GB without a newline is refused at this size, not read into memory.
                MaxBufferSize = Math.Max(1 << 16, limits.MaxCsvRecordChars),
            });
        }
        catch (Exception e) when (e is DecoderFallbackException or CsvFormatException or CsvRecordTooLargeException or CsvMissingHeadersException)
        {
            _stream.Dispose();
            throw Explain(e, 1);
        }
        try
        {
            if (_reader.FieldCount > Limits.MaxColumns) CheckColumn(_name, 1, _reader.FieldCount - 1);
            for (var i = 0; i < _reader.FieldCount; i++) CheckLength(_name, 1, i, (_reader.GetName(i) ?? "").Length);
        }
        catch (ImportFileException) { _reader.Dispose(); _stream.Dispose(); throw; }
        var headers = new string[_reader.FieldCount];
        for (var i = 0; i < headers.Length; i++) headers[i] = (_reader.GetName(i) ?? "").Trim().TrimStart('\uFEFF');
        Headers = headers;
        RowNumber = 1;
    }

    public override long Position => _stream.Position;
    public override long Length => _stream.Length;

    public override bool Read()
    {
        try
        {
            while (_reader.Read())
            {
                RowNumber++;
                CheckRow(_name, RowNumber);
                if (_reader.RowFieldCount > Limits.MaxColumns) CheckColumn(_name, RowNumber, _reader.RowFieldCount - 1);
                for (var i = 0; i < _reader.RowFieldCount; i++) CheckLength(_name, RowNumber, i, _reader.GetFieldSpan(i).Length);
                for (var i = 0; i < _reader.RowFieldCount; i++)
                    if (!_reader.GetFieldSpan(i).IsWhiteSpace()) return true;
            }
            return false;
        }
        catch (Exception e) when (e is DecoderFallbackException or CsvFormatException or CsvRecordTooLargeException)
        {
            throw Explain(e, RowNumber + 1);
        }
    }

    private ImportFileException Explain(Exception e, int row) => e switch
    {
        DecoderFallbackException => new ImportFileException($"文件“{_name}”第{row}行附近不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”", e),
        CsvRecordTooLargeException => new ImportFileException(
            $"文件“{_name}”第{row}行超过 {Limits.MaxCsvRecordChars} 个字符（一行太长，或引号不配对：一个字段以 \" 开始却没有结束），请检查该行，未导入任何数据", e),
        _ => new ImportFileException($"文件“{_name}”第{row}行格式错误（引号不配对或字段格式不对）", e),
    };

    public override string? Get(int column)
    {
        if (column >= _reader.RowFieldCount) return null;
        var span = _reader.GetFieldSpan(column).Trim();
        return span.IsEmpty ? null : span.ToString();
    }

    public override void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        base.Dispose();
    }
}
