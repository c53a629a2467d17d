using EduBureau.Core.Security;
using EduBureau.Core.Common;
using EduBureau.Core.Organization;

namespace EduBureau.Core.Students;

/// <summary>A pupil's identity, stable across years and schools. Per-year facts live on <see cref="Enrollment"/>.</summary>
public sealed class Student
{
    public long Id { get; set; }
    /// <summary>学籍号, unique nationally.</summary>
    public required string StudentNo { get; set; }
    public required string Name { get; set; }
    public Gender Gender { get; set; }
    public DateOnly BirthDate { get; set; }
    /// <summary>身份证件号; may be empty for pupils without one.</summary>
    public string? IdNumber { get; set; }
    public string? Ethnicity { get; set; }
    public DisabilityType Disability { get; set; }
    /// <summary>户籍乡镇 (name, as written on the registration).</summary>
    public string? HouseholdTownship { get; set; }
    /// <summary>入学年月, as "YYYY-MM".</summary>
    public string? EntryYearMonth { get; set; }
    /// <summary>监护人姓名, 与学生关系 (父亲, 母亲, 祖父母 …) and 联系电话: who the school calls (and 控辍保学 visits).</summary>
    public string? GuardianName { get; set; }
    public string? GuardianRelation { get; set; }
    public string? GuardianPhone { get; set; }
    /// <summary>County the record belongs to: the distribution key should the data ever be sharded by region.</summary>
    public int CountyId { get; set; }
    /// <summary>Optimistic concurrency: bumped on every edit, checked on save.</summary>
    public int Version { get; set; }
    public List<Enrollment> Enrollments { get; set; } = [];
    public List<StatusEvent> StatusEvents { get; set; } = [];
}

/// <summary>A pupil in one school year: where, which grade and class, status and the year's flags.</summary>
public sealed class Enrollment : ISchoolScoped, ISchoolYearData, ICountyKeyed
{
    public long Id { get; set; }
    public long StudentId { get; set; }
    public Student Student { get; set; } = null!;
    public int Year { get; set; }
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int? ClassId { get; set; }
    public ClassRoom? Class { get; set; }
    public Grade Grade { get; set; }
    public EnrollmentStatus Status { get; set; } = EnrollmentStatus.InSchool;
    public BoardingMode Boarding { get; set; } = BoardingMode.Day;
    public bool PovertyRegistered { get; set; }   // 建档立卡
    public bool SubsistenceAllowance { get; set; } // 低保
    public bool ExtremePoverty { get; set; }      // 特困供养
    public bool Orphan { get; set; }              // 孤儿
    public bool LeftBehind { get; set; }          // 留守儿童
    public bool Migrant { get; set; }             // 随迁子女
    public bool HomeSchooling { get; set; }       // 送教上门
    public int CountyId { get; set; }
    public int Version { get; set; }

    /// <summary>在校: 在读 or 休学 (docs/domain.md).</summary>
    public bool IsInSchool => Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended;
}

public static class EnrollmentQueries
{
    /// <summary>The 在校 (在读 or 休学) enrolments of a school year, as SQL: the query twin of <see cref="Enrollment.IsInSchool"/>.</summary>
    public static IQueryable<Enrollment> InSchool(this IQueryable<Enrollment> enrollments, int year) =>
        enrollments.Where(e => e.Year == year && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended));
}

/// <summary>A class (班级) of a school in one school year.</summary>
public sealed class ClassRoom : ISchoolScoped, ISchoolYearData, ICountyKeyed
{
    public int Id { get; set; }
    public int SchoolId { get; set; }
    public School School { get; set; } = null!;
    public int CountyId { get; set; }
    public int Year { get; set; }
    public Grade Grade { get; set; }
    public required string Name { get; set; }
}

/// <summary>One line of a pupil's 学籍变动 history.</summary>
public sealed class StatusEvent : IStudentScoped, ICountyKeyed
{
    public long Id { get; set; }
    public long StudentId { get; set; }
    public Student Student { get; set; } = null!;
    public int Year { get; set; }
    public DateOnly Date { get; set; }
    public StatusEventKind Kind { get; set; }
    /// <summary>The school the event happened at (for a transfer-out the school left).</summary>
    public int SchoolId { get; set; }
    /// <summary>For transfers: the other school when it is in the system.</summary>
    public int? OtherSchoolId { get; set; }
    public string? Note { get; set; }
    public int CountyId { get; set; }
}
