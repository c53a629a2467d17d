using System.ComponentModel.DataAnnotations;

namespace EduBureau.Core.Imports;

/// <summary>
/// Section <c>ImportLimits</c>: what the shared readers (<see cref="RowSource"/> for .xlsx and .csv, so every import,
/// score upload and <see cref="SheetReader"/>) accept. The defaults are Excel's own limits, so no real workbook is
/// refused; a hostile file that claims a cell at column ZZZZZ or a 100,000-character cell is refused before any
/// array is sized by it (#14: such a file once drove the server to 19.7 GB). Lower them in configuration only.
/// </summary>
public sealed class ImportLimits
{
    public const string Section = "ImportLimits";

    /// <summary>Highest column (16,384 = XFD, Excel's last).</summary>
    [Range(1, 16_384, ErrorMessage = "配置 ImportLimits:MaxColumns（导入文件最多列数）须在 1 到 16384 之间")]
    public int MaxColumns { get; set; } = 16_384;

    /// <summary>Highest row number (1,048,576, Excel's last).</summary>
    [Range(2, 1_048_576, ErrorMessage = "配置 ImportLimits:MaxRows（导入文件最大行号）须在 2 到 1048576 之间")]
    public int MaxRows { get; set; } = 1_048_576;

    /// <summary>Characters in one cell (32,767, the most Excel holds in a cell).</summary>
    [Range(1, 32_767, ErrorMessage = "配置 ImportLimits:MaxCellLength（单元格最多字符数）须在 1 到 32767 之间")]
    public int MaxCellLength { get; set; } = 32_767;

    /// <summary>
    /// Bytes one zip part (a sheet, sharedStrings.xml, styles…) may inflate to, counted as they are inflated (the sizes
    /// in the zip header are never trusted). 2 GiB: the sheet XML of a real 1,048,576-row roster is about 0.8 GB.
    /// </summary>
    [Range(1_048_576, 8_589_934_592, ErrorMessage = "配置 ImportLimits:MaxEntryBytes（xlsx 内单个部件解压后最多字节数）须在 1048576 到 8589934592 之间")]
    public long MaxEntryBytes { get; set; } = 2_147_483_648;

    /// <summary>
    /// Inflated bytes per compressed byte read, checked once a part has inflated past <see cref="RatioFloorBytes"/>.
    /// Real sheet XML compresses 5–30 times; a zip bomb a thousand times.
    /// </summary>
    [Range(10, 10_000, ErrorMessage = "配置 ImportLimits:MaxCompressionRatio（xlsx 部件最大压缩比）须在 10 到 10000 之间")]
    public int MaxCompressionRatio { get; set; } = 100;

    /// <summary>Below this many inflated bytes a part's compression ratio is not checked (small parts compress a lot).</summary>
    public const long RatioFloorBytes = 8 * 1_048_576;

    /// <summary>
    /// Characters of all shared strings together (they are held in memory while the sheet is read): 128 M characters,
    /// 256 MB, enough for a million rows of names, ID numbers and addresses typed as text.
    /// </summary>
    [Range(1_000, 268_435_456, ErrorMessage = "配置 ImportLimits:MaxSharedStringChars（共享字符串总字符数）须在 1000 到 268435456 之间")]
    public int MaxSharedStringChars { get; set; } = 134_217_728;

    /// <summary>Number of shared strings (each costs an offset): 16 M, sixteen distinct texts per row of a full sheet.</summary>
    [Range(1_000, 33_554_432, ErrorMessage = "配置 ImportLimits:MaxSharedStrings（共享字符串个数）须在 1000 到 33554432 之间")]
    public int MaxSharedStrings { get; set; } = 16_777_216;

    /// <summary>
    /// A CSV record (one line, or several inside quotes) in characters: past it the file is refused instead of buffered.
    /// 1 M characters, far above any real roster row.
    /// </summary>
    [Range(1_024, 67_108_864, ErrorMessage = "配置 ImportLimits:MaxCsvRecordChars（CSV 单行最多字符数）须在 1024 到 67108864 之间")]
    public int MaxCsvRecordChars { get; set; } = 1_048_576;

    /// <summary>Issues kept in full (page, 明细 of the error workbook, score and aid uploads); the rest are only counted.</summary>
    [Range(10, 100_000, ErrorMessage = "配置 ImportLimits:MaxErrors（保留的错误条数）须在 10 到 100000 之间")]
    public int MaxErrors { get; set; } = 1_000;

    /// <summary>
    /// Bytes of one error workbook (错误清单): past it the remaining rows are left out, with a note. 256 MB; the one of a
    /// 1,048,576-row roster wrong on every row is about 100 MB.
    /// </summary>
    [Range(1_048_576, 4_294_967_296, ErrorMessage = "配置 ImportLimits:MaxErrorWorkbookBytes（错误清单最多字节数）须在 1048576 到 4294967296 之间")]
    public long MaxErrorWorkbookBytes { get; set; } = 268_435_456;

    /// <summary>
    /// The limits the readers use when the caller passes none. The web host and the CLI set it from configuration at
    /// start (one process, one configuration); tests pass their own instance instead of changing it.
    /// </summary>
    public static ImportLimits Current { get; set; } = new();
}
