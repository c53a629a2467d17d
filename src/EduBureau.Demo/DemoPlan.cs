using EduBureau.Core.Common;
using EduBureau.Core.Organization;

namespace EduBureau.Demo;

/// <summary>Stages pupils flow through; a school may cover several (九年一贯制 = primary + junior).</summary>
/// <summary>The demo's school-mix stages (vocational and special included); not <see cref="EduBureau.Core.Indicators.Stage"/>, which attributes resources.</summary>
internal enum DemoStage { Kg, Primary, Junior, Senior, Vocational, Special }

internal sealed class TownshipPlan
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required OrgUnit Unit { get; init; }
    public bool Urban => Index == 0;
    /// <summary>Share of the county's resident children living here.</summary>
    public double PopShare { get; set; }
    public List<SchoolPlan> Schools { get; } = [];
}

internal sealed class SchoolPlan
{
    public required int Index { get; init; }
    public required School School { get; init; }
    public required OrgUnit Unit { get; init; }
    public required TownshipPlan Township { get; init; }
    public SchoolLevel Level => School.Level;
    /// <summary>Relative size within each stage it teaches; turned into shares of the county cohort.</summary>
    public Dictionary<DemoStage, double> Weight { get; } = [];
    public Dictionary<DemoStage, double> Share { get; } = [];
    /// <summary>Largest class the school forms; county-town schools are crowded.</summary>
    public int ClassCap { get; set; } = 45;
    /// <summary>Multiplier on the per-pupil standards for buildings and equipment (below 1: fails some 优质均衡 lines).</summary>
    public double ConditionFactor { get; set; } = 1.3;
    public bool IsVillageSchool { get; set; }
    public Grade[] Grades => GradeInfo.GradesOf(Level);
    /// <summary>Pupils in school per roster year (index 0..2), for staffing and conditions.</summary>
    public int[] InSchool { get; } = new int[3];
    public int[] InSchoolJunior { get; } = new int[3];
    public int[] InSchoolSenior { get; } = new int[3];

    public bool Teaches(Grade g) => Array.IndexOf(Grades, g) >= 0;

    public DemoStage StageOf(Grade g) => Level == SchoolLevel.Special ? DemoStage.Special : DemoPlan.StageOf(g);

    /// <summary>Last grade of the stage at this school: pupils graduate (毕业) from it.</summary>
    public bool IsLastOfStage(Grade g) => Level switch
    {
        SchoolLevel.Kindergarten => g == Grade.KgLarge,
        SchoolLevel.Primary or SchoolLevel.TeachingPoint => g == Grade.G6,
        SchoolLevel.Junior or SchoolLevel.NineYear or SchoolLevel.Special => g == Grade.G9,
        SchoolLevel.Complete => g is Grade.G9 or Grade.S3,
        SchoolLevel.Senior => g == Grade.S3,
        SchoolLevel.Vocational => g == Grade.V3,
        _ => g.Next() is null,
    };
}

internal static class DemoPlan
{
    public static DemoStage StageOf(Grade g) => g switch
    {
        <= Grade.KgLarge => DemoStage.Kg,
        <= Grade.G6 => DemoStage.Primary,
        <= Grade.G9 => DemoStage.Junior,
        <= Grade.S3 => DemoStage.Senior,
        _ => DemoStage.Vocational,
    };

    public static Grade FirstOf(DemoStage s) => s switch
    {
        DemoStage.Kg => Grade.KgSmall,
        DemoStage.Primary or DemoStage.Special => Grade.G1,
        DemoStage.Junior => Grade.G7,
        DemoStage.Senior => Grade.S1,
        _ => Grade.V1,
    };

    /// <summary>Position of the grade within its stage (小班 = 0, 一年级 = 0, 七年级 = 0 …); special schools count from 一年级.</summary>
    public static int IndexInStage(DemoStage s, Grade g) => s == DemoStage.Special ? g - Grade.G1 : g - FirstOf(s);

    /// <summary>
    /// Resident births per county and year: flat until 2013, the 二孩 bump, then the decline since 2017
    /// (which is why kindergartens shrink while primary schools are still full).
    /// </summary>
    public static double Births(int birthYear) => 4650 * birthYear switch
    {
        <= 2013 => 1.0,
        <= 2016 => 1.03,
        2017 => 0.98,
        2018 => 0.88,
        2019 => 0.82,
        2020 => 0.72,
        2021 => 0.68,
        2022 => 0.62,
        2023 => 0.58,
        _ => 0.55,
    };

    /// <summary>Entrants to the first grade of a stage in year <paramref name="c"/>, county total.</summary>
    public static double Entrants(DemoStage s, int c) => s switch
    {
        DemoStage.Kg => Births(c - 3) * 0.87,
        DemoStage.Primary => Births(c - 6) * 0.98,
        DemoStage.Junior => Entrants(DemoStage.Primary, c - 6) * Math.Pow(0.997, 6) * 0.996,
        DemoStage.Senior => Entrants(DemoStage.Junior, c - 3) * Math.Pow(0.995, 3) * 0.70,
        DemoStage.Vocational => Entrants(DemoStage.Junior, c - 3) * Math.Pow(0.995, 3) * 0.26,
        _ => 12,
    };

    /// <summary>Year-on-year retention within a stage (late entrants push kindergartens above 1).</summary>
    public static double Retention(DemoStage s) => s switch
    {
        DemoStage.Kg => 1.02,
        DemoStage.Primary => 0.997,
        DemoStage.Junior => 0.995,
        DemoStage.Senior => 0.985,
        DemoStage.Vocational => 0.96,
        _ => 1.0,
    };

    /// <summary>County pupils in grade index <paramref name="k"/> of stage <paramref name="s"/> in year <paramref name="y"/>.</summary>
    public static double Cohort(DemoStage s, int y, int k) => s == DemoStage.Special ? 12 : Entrants(s, y - k) * Math.Pow(Retention(s), k);
}
