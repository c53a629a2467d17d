using System.Text;

namespace EduBureau.Core.Imports;

/// <summary>A problem with the file itself (not a row): its message is Chinese and shown as is.</summary>
public sealed class ImportFileException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The file breaks an <see cref="ImportLimits"/> bound (rather than being damaged or of the wrong kind).</summary>
    public bool OverLimit { get; init; }
}

/// <summary>
/// Forward-only rows of the first sheet of a workbook or a CSV file: the header row first, then data rows
/// numbered as Excel shows them. Cells come back as text exactly as a person reads them (numbers as their
/// digits, Excel date cells as yyyy-MM-dd). Nothing is held beyond the current row.
/// </summary>
public abstract class RowSource : IDisposable
{
    /// <summary>Sheet name for messages (the file name for CSV).</summary>
    public string SheetName { get; protected set; } = "";
    /// <summary>Header texts, trimmed, by column position.</summary>
    public IReadOnlyList<string> Headers { get; protected set; } = [];
    /// <summary>Excel row number of the current row.</summary>
    public int RowNumber { get; protected set; }
    /// <summary>Bytes consumed so far and in total, for progress (0 when unknown).</summary>
    public virtual long Position => 0;
    public virtual long Length => 0;

    /// <summary>Moves to the next non-empty data row.</summary>
    public abstract bool Read();

    /// <summary>The cell text at a header position (null when empty or missing).</summary>
    public abstract string? Get(int column);

    /// <summary>
    /// True when the cell was stored as a number with more than 15 digits: Excel keeps only 15 significant digits, so an
    /// 18-digit 身份证件号 or long 学籍号 typed as a number has already lost its last digits and must not be guessed.
    /// </summary>
    public virtual bool IsLongNumber(int column) => false;

    /// <summary>What is said about a cell for which <see cref="IsLongNumber"/> is true.</summary>
    public const string LostDigits = "是以数字格式保存的超过15位的号码，Excel 已丢失末尾几位：请把该列设置为文本格式后重新录入完整号码";

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The bounds this reader enforces (<see cref="ImportLimits.Current"/> unless the caller passed its own).</summary>
    private protected ImportLimits Limits { get; init; } = ImportLimits.Current;

    /// <summary>"文件“a.xlsx”工作表“学生”第5行 B列…，未导入任何数据" (no sheet part for CSV, whose sheet is the file).</summary>
    private protected ImportFileException Refuse(string file, int row, string? column, string what) =>
        new($"文件“{file}”{(SheetName.Length > 0 && SheetName != file ? $"工作表“{SheetName}”" : "")}第{row}行{(column is null ? "" : $" {column}列")}{what}，未导入任何数据")
        { OverLimit = true };

    /// <summary>Refuses a 0-based column past <see cref="ImportLimits.MaxColumns"/> before anything is sized by it.</summary>
    private protected void CheckColumn(string file, int row, int column, string? letters = null)
    {
        if (column >= 0 && column < Limits.MaxColumns) return;
        throw Refuse(file, row, letters ?? XlsxWriter.ColumnName(column),
            $"超出了允许的最后一列 {XlsxWriter.ColumnName(Limits.MaxColumns - 1)}（第{Limits.MaxColumns}列）：请删除多余的列后再导入");
    }

    private protected void CheckRow(string file, int row)
    {
        if (row <= Limits.MaxRows) return;
        throw Refuse(file, row, null, $"超出了允许的最大行号 {Limits.MaxRows}：请把数据分成几个文件导入");
    }

    private protected void CheckLength(string file, int row, int column, int length)
    {
        if (length <= Limits.MaxCellLength) return;
        throw Refuse(file, row, XlsxWriter.ColumnName(column),
            $"的内容有 {length} 个字符，超过了单元格上限 {Limits.MaxCellLength} 个字符：请检查该单元格");
    }

    /// <summary>Opens .xlsx or .csv by content and extension, or explains in Chinese why the file cannot be read.</summary>
    public static RowSource Open(string path, string? displayName = null, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Current;
        var name = displayName ?? Path.GetFileName(path);
        if (!File.Exists(path)) throw new ImportFileException($"文件“{name}”不存在");
        var head = new byte[8];
        int n;
        using (var f = File.OpenRead(path)) n = f.ReadAtLeast(head, 8, throwOnEndOfStream: false);
        if (n == 0) throw new ImportFileException($"文件“{name}”是空文件");
        var ext = Path.GetExtension(name).ToLowerInvariant();
        if (n >= 8 && head.AsSpan().SequenceEqual(OleMagic))
            throw new ImportFileException(IsEncryptedOoxml(path)
                ? $"文件“{name}”设置了打开密码（已加密），无法读取：请在 Excel 中取消密码后另存为 .xlsx 再导入"
                : $"文件“{name}”是旧版 Excel（.xls）格式：请在 Excel 中另存为 .xlsx（Excel 工作簿）或 CSV UTF-8 后再导入");
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
            return new XlsxRowSource(path, name, limits);
        if (ext is ".xlsx" or ".xlsm" or ".xls")
            throw new ImportFileException($"文件“{name}”不是有效的 Excel 工作簿（内容不是 .xlsx 的 zip 格式），请用 Excel 重新另存为 .xlsx");
        if (ext is ".csv" or ".txt")
            return new CsvRowSource(path, name, limits);
        throw new ImportFileException($"不支持的文件类型“{ext}”：请上传 .xlsx 工作簿或 UTF-8 编码的 .csv 文件");
    }

    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>A password-protected .xlsx is an OLE compound file holding an "EncryptionInfo" stream.</summary>
    private static bool IsEncryptedOoxml(string path)
    {
        var marker = Encoding.Unicode.GetBytes("EncryptionInfo");
        using var f = File.OpenRead(path);
        var buf = new byte[1 << 16];
        var carry = 0;
        while (true)
        {
            var read = f.Read(buf, carry, buf.Length - carry);
            if (read == 0) return false;
            var len = carry + read;
            if (buf.AsSpan(0, len).IndexOf(marker) >= 0) return true;
            carry = Math.Min(marker.Length, len);
            Buffer.BlockCopy(buf, len - carry, buf, 0, carry);
        }
    }
}
