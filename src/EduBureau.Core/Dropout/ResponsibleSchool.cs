using EduBureau.Core.Common;

namespace EduBureau.Core.Dropout;

/// <summary>A school as the choice of a 失学 child's 责任学校 needs it.</summary>
public sealed record SchoolOption(int Id, string Code, string Name, SchoolLevel Level, int TownshipId);

/// <summary>
/// The 责任学校 of a 失学 child must teach the stage that fits the child's age: 6–11 → 小学 stage, 12–15 → 初中 stage
/// (docs/domain.md). A 幼儿园, 高中, 中职 or 特殊教育学校 is never proposed (a special school is chosen by the
/// township after assessment, not by default). Pure, so the rule is checked by hand.
/// </summary>
public static class ResponsibleSchool
{
    public const int FirstJuniorAge = 12;
    public const int MaxAge = 15;

    public enum Stage { None, Primary, Junior }

    public static Stage StageFor(int age) => age switch
    {
        >= DropoutDetection.MinAge and < FirstJuniorAge => Stage.Primary,
        >= FirstJuniorAge and <= MaxAge => Stage.Junior,
        _ => Stage.None,
    };

    /// <summary>How well a school of <paramref name="level"/> fits <paramref name="stage"/>: 0 best, null not at all.</summary>
    public static int? Fit(SchoolLevel level, Stage stage) => (stage, level) switch
    {
        (Stage.Primary, SchoolLevel.Primary) => 0,
        (Stage.Primary, SchoolLevel.NineYear or SchoolLevel.TwelveYear) => 1,
        (Stage.Primary, SchoolLevel.TeachingPoint) => 2, // 教学点: lower grades only, a last resort
        (Stage.Junior, SchoolLevel.Junior) => 0,
        (Stage.Junior, SchoolLevel.NineYear or SchoolLevel.Complete or SchoolLevel.TwelveYear) => 1,
        _ => null,
    };

    public static string StageName(Stage stage) => stage switch
    {
        Stage.Primary => "小学",
        Stage.Junior => "初中",
        _ => "义务教育",
    };

    /// <summary>
    /// The schools that may be responsible for a child of <paramref name="age"/> living in <paramref name="townshipId"/>,
    /// best first: the child's township before others, then a school of that stage only before a 一贯制/完全中学, then by
    /// 学校标识码. The first is the default choice. Empty when the age is outside compulsory education.
    /// </summary>
    public static IReadOnlyList<SchoolOption> Candidates(int age, int? townshipId, IEnumerable<SchoolOption> schools)
    {
        var stage = StageFor(age);
        return schools.Select(s => (School: s, Fit: Fit(s.Level, stage)))
            .Where(x => x.Fit is not null)
            .OrderBy(x => townshipId is int t && x.School.TownshipId == t ? 0 : 1)
            .ThenBy(x => x.Fit)
            .ThenBy(x => x.School.Code, StringComparer.Ordinal)
            .Select(x => x.School).ToList();
    }
}
