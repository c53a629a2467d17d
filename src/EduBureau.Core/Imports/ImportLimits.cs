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
    /// The limits the readers use when the caller passes none. The web host and the CLI set it from configuration at
    /// start (one process, one configuration); tests pass their own instance instead of changing it.
    /// </summary>
    public static ImportLimits Current { get; set; } = new();
}
