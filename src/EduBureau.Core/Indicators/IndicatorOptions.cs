using System.ComponentModel.DataAnnotations;

namespace EduBureau.Core.Indicators;

/// <summary>
/// The bureau's local indicator rules, bound from configuration section <c>Indicators</c> by the web (and usable by any
/// host). The engines stay pure: they take a <see cref="LevelSplitOptions"/> argument (<see cref="LevelSplit"/>), never
/// this class or DI. Defaults are domain.md's: 小学:初中 = 1:1.1, 初中:高中 = 1:1.2 — "a local rule to keep configurable".
/// </summary>
public sealed class IndicatorOptions
{
    public const string Section = "Indicators";

    /// <summary>初中 pupil weight relative to a 小学 pupil when a 九年一贯制 / 十二年一贯制 school's teachers and facilities are split.</summary>
    [Range(0.5, 5.0, ErrorMessage = "配置 Indicators:JuniorPerPrimary（初中学生相对小学学生的折算权重）须在 0.5 到 5 之间")]
    public double JuniorPerPrimary { get; set; } = LevelSplitOptions.Default.JuniorPerPrimary;

    /// <summary>高中 pupil weight relative to a 初中 pupil (完全中学, 十二年一贯制).</summary>
    [Range(0.5, 5.0, ErrorMessage = "配置 Indicators:SeniorPerJunior（高中学生相对初中学生的折算权重）须在 0.5 到 5 之间")]
    public double SeniorPerJunior { get; set; } = LevelSplitOptions.Default.SeniorPerJunior;

    /// <summary>What the engines take.</summary>
    public LevelSplitOptions LevelSplit => new(JuniorPerPrimary, SeniorPerJunior);
}
