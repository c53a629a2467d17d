namespace EduBureau.Core.Schools;

/// <summary>
/// 班额 bands (domain.md): 56–65 大班额, 66 and more 超大班额 — the one place these numbers live (indicators, the SQL
/// second opinion, the member lists, the 学生 import warnings, the school grids).
/// Deliberately constants, not bureau settings: they are the national definition (教育部 大班额/超大班额, used by the
/// 义务教育优质均衡 assessment and the statistics every county reports upward), so a county or province that changed them
/// would report figures nobody else can compare. The level split, by contrast, is a local rule (see IndicatorOptions).
/// </summary>
public static class ClassSizeBand
{
    /// <summary>56 人及以上 = 大班额.</summary>
    public const int Large = 56;

    /// <summary>66 人及以上 = 超大班额.</summary>
    public const int SuperLarge = 66;

    /// <summary>"超大班额", "大班额", or null for a class below <see cref="Large"/>.</summary>
    public static string? Band(int size) => size >= SuperLarge ? "超大班额" : size >= Large ? "大班额" : null;
}
