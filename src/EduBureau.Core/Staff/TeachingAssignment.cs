using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using EduBureau.Core.Students;

namespace EduBureau.Core.Staff;

/// <summary>
/// 任课安排: who teaches a subject in a class in one school year. The staff roster only says a teacher's school and
/// 任教学科; this says which classes, so exam analysis can judge each teacher by their own classes.
/// </summary>
public sealed class TeachingAssignment : ISchoolScoped, ISchoolYearData, ICountyKeyed
{
    public long Id { get; set; }
    public int Year { get; set; }
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int ClassId { get; set; }
    public ClassRoom Class { get; set; } = null!;
    /// <summary>The subject as exams name it (语文, 数学 …).</summary>
    public required string Subject { get; set; }
    public long StaffId { get; set; }
    public StaffMember Staff { get; set; } = null!;
    public int CountyId { get; set; }
}
