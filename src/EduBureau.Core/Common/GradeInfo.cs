namespace EduBureau.Core.Common;

/// <summary>Facts about grades and levels that indicators and the demo rely on.</summary>
public static class GradeInfo
{
    public static readonly Grade[] Kindergarten = [Grade.KgSmall, Grade.KgMiddle, Grade.KgLarge];
    public static readonly Grade[] Primary = [Grade.G1, Grade.G2, Grade.G3, Grade.G4, Grade.G5, Grade.G6];
    public static readonly Grade[] Junior = [Grade.G7, Grade.G8, Grade.G9];
    public static readonly Grade[] Senior = [Grade.S1, Grade.S2, Grade.S3];
    public static readonly Grade[] Vocational = [Grade.V1, Grade.V2, Grade.V3];

    public static bool IsKindergarten(this Grade g) => g <= Grade.KgLarge;
    public static bool IsPrimary(this Grade g) => g is >= Grade.G1 and <= Grade.G6;
    public static bool IsJunior(this Grade g) => g is >= Grade.G7 and <= Grade.G9;
    public static bool IsCompulsory(this Grade g) => g is >= Grade.G1 and <= Grade.G9;
    public static bool IsSenior(this Grade g) => g is >= Grade.S1 and <= Grade.S3;
    public static bool IsVocational(this Grade g) => g >= Grade.V1;

    /// <summary>The grade a pupil moves to next year, or null when this is the last grade of the stage.</summary>
    public static Grade? Next(this Grade g) => g switch
    {
        Grade.KgLarge or Grade.G9 or Grade.S3 or Grade.V3 => null,
        Grade.G6 => Grade.G7,
        _ => g + 1,
    };

    /// <summary>Typical age on the count date (September 1) for pupils in this grade.</summary>
    public static int TypicalAge(this Grade g) => g switch
    {
        <= Grade.KgLarge => 3 + (g - Grade.KgSmall),
        <= Grade.G9 => 6 + (g - Grade.G1),
        <= Grade.S3 => 15 + (g - Grade.S1),
        _ => 15 + (g - Grade.V1),
    };

    /// <summary>Grades a school of this level teaches.</summary>
    public static Grade[] GradesOf(SchoolLevel level) => level switch
    {
        SchoolLevel.Kindergarten => Kindergarten,
        SchoolLevel.Primary or SchoolLevel.TeachingPoint => Primary,
        SchoolLevel.Junior => Junior,
        SchoolLevel.NineYear => [.. Primary, .. Junior],
        SchoolLevel.Complete => [.. Junior, .. Senior],
        SchoolLevel.Senior => Senior,
        SchoolLevel.TwelveYear => [.. Primary, .. Junior, .. Senior],
        SchoolLevel.Vocational => Vocational,
        SchoolLevel.Special => [.. Primary, .. Junior],
        _ => [],
    };

    /// <summary>Chinese class name as schools write it: 一(3)班, or 小班(2)班 style for kindergartens.</summary>
    public static string ClassName(Grade g, int number) => g switch
    {
        >= Grade.G1 and <= Grade.G9 => $"{"一二三四五六七八九"[g - Grade.G1]}({number})班",
        _ => $"{g.Zh()}{number}班",
    };
}
