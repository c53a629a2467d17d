using EduBureau.Core.Common;

namespace EduBureau.Core.Indicators;

/// <summary>Stage of schooling a resource is attributed to.</summary>
public enum Stage
{
    Kindergarten,
    Primary,
    Junior,
    Senior,
}

/// <summary>
/// How 九年一贯制 / 完全中学 / 十二年一贯制 schools split teachers and facilities between stages: in proportion to
/// weighted pupils (local rule, docs/domain.md: 小学:初中 = 1:1.1, 初中:高中 = 1:1.2). Schools of one stage keep everything.
/// </summary>
public sealed record LevelSplitOptions(double JuniorPerPrimary = 1.1, double SeniorPerJunior = 1.2)
{
    public static LevelSplitOptions Default { get; } = new();

    public double Weight(Stage stage) => stage switch
    {
        Stage.Primary => 1,
        Stage.Junior => JuniorPerPrimary,
        Stage.Senior => JuniorPerPrimary * SeniorPerJunior,
        _ => 1,
    };

    /// <summary>
    /// Share of a school's resources attributed to <paramref name="stage"/> given its pupils per stage.
    /// Single-stage schools: 1 for their stage, 0 otherwise. Mixed schools without pupils: 0.
    /// </summary>
    public double Share(SchoolLevel level, Stage stage, Func<Stage, int> pupils)
    {
        Stage[] stages = level switch
        {
            SchoolLevel.NineYear => [Stage.Primary, Stage.Junior],
            SchoolLevel.Complete => [Stage.Junior, Stage.Senior],
            SchoolLevel.TwelveYear => [Stage.Primary, Stage.Junior, Stage.Senior],
            _ => [],
        };
        if (stages.Length == 0) return StageOf(level) == stage ? 1 : 0;
        if (!stages.Contains(stage)) return 0;
        var total = stages.Sum(s => pupils(s) * Weight(s));
        return total == 0 ? 0 : pupils(stage) * Weight(stage) / total;
    }

    /// <summary>The single stage of a one-stage school (special and vocational schools map to none of the four).</summary>
    public static Stage? StageOf(SchoolLevel level) => level switch
    {
        SchoolLevel.Kindergarten => Stage.Kindergarten,
        SchoolLevel.Primary or SchoolLevel.TeachingPoint => Stage.Primary,
        SchoolLevel.Junior => Stage.Junior,
        SchoolLevel.Senior => Stage.Senior,
        _ => null,
    };

    public static Stage? StageOf(Grade g) =>
        g.IsKindergarten() ? Stage.Kindergarten : g.IsPrimary() ? Stage.Primary : g.IsJunior() ? Stage.Junior : g.IsSenior() ? Stage.Senior : null;
}
