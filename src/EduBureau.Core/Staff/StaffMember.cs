using EduBureau.Core.Security;
using EduBureau.Core.Common;
using EduBureau.Core.Organization;

namespace EduBureau.Core.Staff;

/// <summary>教职工 (staff template). Assignment to a school is per school year.</summary>
public sealed class StaffMember
{
    public long Id { get; set; }
    /// <summary>教职工号, unique.</summary>
    public required string StaffNo { get; set; }
    public required string Name { get; set; }
    public Gender Gender { get; set; }
    public DateOnly BirthDate { get; set; }
    public string? IdNumber { get; set; }
    public StaffPost Post { get; set; }
    /// <summary>任教学科 (语文, 数学, 体育, 音乐, 美术 …).</summary>
    public string? Subject { get; set; }
    public EducationLevel Education { get; set; }
    /// <summary>学前教育专业 (for kindergarten teachers).</summary>
    public bool PreschoolMajor { get; set; }
    public ProfessionalTitle Title { get; set; }
    public BackboneLevel Backbone { get; set; }
    /// <summary>荣誉称号, several separated by 、.</summary>
    public string? Honors { get; set; }
    /// <summary>参加工作年月, "YYYY-MM".</summary>
    public string? WorkStart { get; set; }
    /// <summary>编制: 在编 = true.</summary>
    public bool Established { get; set; }
    public int CountyId { get; set; }
    public int Version { get; set; }
    public List<StaffAssignment> Assignments { get; set; } = [];
}

/// <summary>Where a staff member works in a school year.</summary>
public sealed class StaffAssignment : ISchoolScoped, ISchoolYearData, ICountyKeyed
{
    public long Id { get; set; }
    public long StaffId { get; set; }
    public StaffMember Staff { get; set; } = null!;
    public int Year { get; set; }
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
}
