using EduBureau.Core.Common;

namespace EduBureau.Core.Indicators;

/// <summary>A school as the indicators see it: where it sits and how it is classified.</summary>
public sealed record SchoolFacts(
    int Id, string Code, string Name, SchoolLevel Level, Ownership Ownership, bool Inclusive, UrbanRural UrbanRural,
    int TownshipId, int CountyId, int? ParentSchoolId, IReadOnlyList<int> GroupIds);

/// <summary>A named unit (county, township, group) for breakdown labels.</summary>
public sealed record NamedUnit(int Id, string Name, int? ParentId = null);

/// <summary>在校 (在读 or 休学) pupils of one grade in one school.</summary>
public sealed record GradeCount(int SchoolId, Grade Grade, int Count);

/// <summary>A class and its size (在校 pupils in it).</summary>
public sealed record ClassSize(int SchoolId, int ClassId, Grade Grade, int Size);

/// <summary>An 在校 pupil with a 三类残疾 (视力, 听力/言语, 智力), age on the count date.</summary>
public sealed record DisabledPupil(int SchoolId, Grade Grade, DisabilityType Disability, bool HomeSchooling, int Age);

/// <summary>Staff assigned to a school in the year, counted by the attributes indicators use.</summary>
public sealed record StaffCount(
    int SchoolId, StaffPost Post, EducationLevel Education, string? Subject, BackboneLevel Backbone, bool PreschoolMajor, int Count);

/// <summary>办学条件 of a school. Equipment is in 万元 as reported.</summary>
public sealed record ConditionFacts(int SchoolId, double TeachingArea, double SportsArea, double EquipmentWan, int MultimediaRooms);

/// <summary>适龄人口 of one age in one township; Disabled = 三类残疾 of that age when reported.</summary>
public sealed record PopulationFacts(int TownshipId, int Age, int Count, int? Disabled);

/// <summary>A count of something per school.</summary>
public sealed record SchoolCount(int SchoolId, int Count);

/// <summary>Grade-1 count of the base year (Y−8) of one school, and where it came from (学籍 or 历年在校生).</summary>
public sealed record BaseYearCount(int SchoolId, int Count, string Source);

/// <summary>
/// Everything the indicators of one school year need, for one scope, already reduced to counts.
/// Built by <see cref="SnapshotLoader"/> (or by hand in tests); the engines are pure functions over it.
/// </summary>
public sealed class IndicatorSnapshot
{
    public required int Year { get; init; }
    public required IReadOnlyList<SchoolFacts> Schools { get; init; }
    public IReadOnlyList<NamedUnit> Counties { get; init; } = [];
    /// <summary>Townships with ParentId = county.</summary>
    public IReadOnlyList<NamedUnit> Townships { get; init; } = [];
    public IReadOnlyList<NamedUnit> Groups { get; init; } = [];
    public IReadOnlyList<GradeCount> Pupils { get; init; } = [];
    public IReadOnlyList<ClassSize> Classes { get; init; } = [];
    public IReadOnlyList<DisabledPupil> DisabledPupils { get; init; } = [];
    public IReadOnlyList<StaffCount> Staff { get; init; } = [];
    public IReadOnlyList<ConditionFacts> Conditions { get; init; } = [];
    public IReadOnlyList<PopulationFacts> Population { get; init; } = [];
    /// <summary>Grade-1 counts of year Y−8 per school; null when neither rosters nor 历年在校生 have that year.</summary>
    public IReadOnlyList<BaseYearCount>? BaseYear { get; init; }
    /// <summary>Classes (班级 rows) of the year per school, with or without pupils: the 班级 count of the year's figures.</summary>
    public IReadOnlyList<SchoolCount> ClassRooms { get; init; } = [];
    /// <summary>Materialised paths of the schools (id → "/1/4/…"), for <see cref="SnapshotScope.Within"/>; null in hand-built snapshots.</summary>
    public IReadOnlyDictionary<int, string>? SchoolPaths { get; init; }
    /// <summary>Materialised paths of the organisation units (townships, counties).</summary>
    public IReadOnlyDictionary<int, string>? UnitPaths { get; init; }
    /// <summary>The units of kind 乡镇 (a unit above a school is named as a township even when it is not one).</summary>
    public IReadOnlyList<int>? TownshipUnitIds { get; init; }
    /// <summary>The bureau's own indicators (#17), computed after the built-in ones.</summary>
    public IReadOnlyList<CustomIndicatorFacts> Custom { get; init; } = [];
    /// <summary>Numeric values of custom forms for the year, per school (<c>表单.代码.字段</c> in expressions).</summary>
    public IReadOnlyList<Quality.FormValueFact> FormValues { get; init; } = [];
}
