using EduBureau.Core.Common;

namespace EduBureau.Core.Organization;

/// <summary>
/// A node of the organisation tree: (province →) city → county → township → school → 教学点.
/// <see cref="Path"/> is the materialised path of ids ("/1/4/17/") so that "everything under this unit"
/// is one indexed prefix match, on SQLite and PostgreSQL alike; scoping relies on it.
/// </summary>
public sealed class OrgUnit
{
    public int Id { get; set; }
    public int? ParentId { get; set; }
    public OrgUnit? Parent { get; set; }
    public OrgUnitKind Kind { get; set; }
    public required string Name { get; set; }
    /// <summary>Administrative code (行政区划代码) for regions; 学校标识码 for schools.</summary>
    public string? Code { get; set; }
    public string Path { get; set; } = "/";
    public int Depth { get; set; }
    /// <summary>撤销/关闭 date: a closed unit keeps its history but leaves current lists and the tree's choices.</summary>
    public DateOnly? ClosedOn { get; set; }
    /// <summary>撤并: the school this one was merged into (its pupils and staff moved there on <see cref="ClosedOn"/>).</summary>
    public int? MergedIntoId { get; set; }
    public bool IsClosed => ClosedOn is not null;

    /// <summary>Sets <see cref="Path"/> and <see cref="Depth"/> from the parent once the id is known.</summary>
    public void PlaceUnder(OrgUnit? parent)
    {
        Parent = parent;
        ParentId = parent?.Id;
        Path = (parent?.Path ?? "/") + Id + "/";
        Depth = parent is null ? 0 : parent.Depth + 1;
    }
}

/// <summary>School attributes (学校 template); shares its key with its <see cref="OrgUnit"/>.</summary>
public sealed class School
{
    /// <summary>Same value as the OrgUnit id.</summary>
    public int Id { get; set; }
    public OrgUnit Unit { get; set; } = null!;
    /// <summary>学校标识码, 10 digits.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public SchoolLevel Level { get; set; }
    public Ownership Ownership { get; set; }
    /// <summary>普惠性: only meaningful for kindergartens (民办普惠园 = true; 公办园 counted as 普惠 by rule).</summary>
    public bool Inclusive { get; set; }
    public UrbanRural UrbanRural { get; set; }
    public bool Boarding { get; set; }
    /// <summary>Denormalised township and county for fast grouping; kept in step with the tree.</summary>
    public int TownshipId { get; set; }
    public int CountyId { get; set; }
    /// <summary>中心校 of a 教学点.</summary>
    public int? ParentSchoolId { get; set; }
    /// <summary>Copied from the OrgUnit so that scoped queries filter fact tables by prefix without a second join.</summary>
    public string Path { get; set; } = "/";
}

public sealed class SchoolGroup
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public SchoolGroupKind Kind { get; set; }
    /// <summary>The region the group belongs to (a county, usually).</summary>
    public int OrgUnitId { get; set; }
    public List<SchoolGroupMember> Members { get; set; } = [];
}

public sealed class SchoolGroupMember : Security.ISchoolScoped, Security.ICountyKeyed
{
    public int GroupId { get; set; }
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
}

/// <summary>学年: 2024 means the 2024–2025 school year, counted on September 1, 2024.</summary>
public sealed class SchoolYear
{
    public int Year { get; set; }
    public DateOnly CountDate { get; set; }
    public string Name => $"{Year}–{Year + 1}学年";

    public static SchoolYear For(int year) => new() { Year = year, CountDate = new DateOnly(year, 9, 1) };

    /// <summary>Whole years of age on the count date.</summary>
    public static int AgeOn(DateOnly birth, DateOnly date)
    {
        var age = date.Year - birth.Year;
        if (birth > date.AddYears(-age)) age--;
        return age;
    }
}
