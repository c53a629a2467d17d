using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Students;

/// <summary>What the create/edit form posts. Property names are the error keys.</summary>
public sealed class StudentForm
{
    public string? StudentNo { get; set; }
    public string? Name { get; set; }
    public Gender? Gender { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? IdNumber { get; set; }
    public string? Ethnicity { get; set; }
    public string? HouseholdTownship { get; set; }
    public int? SchoolId { get; set; }
    public Grade? Grade { get; set; }
    public string? ClassName { get; set; }
    /// <summary>入学日期 (create only): recorded as the 入学 event and 入学年月.</summary>
    public DateOnly? EntryDate { get; set; }
    public DisabilityType Disability { get; set; }
    /// <summary>监护人: who the school calls (and 控辍保学 visits).</summary>
    public string? GuardianName { get; set; }
    public string? GuardianRelation { get; set; }
    public string? GuardianPhone { get; set; }
    /// <summary>The flags of the form's school year (on that year's enrolment).</summary>
    public BoardingMode Boarding { get; set; } = BoardingMode.Day;
    public bool PovertyRegistered { get; set; }
    public bool SubsistenceAllowance { get; set; }
    public bool ExtremePoverty { get; set; }
    public bool Orphan { get; set; }
    public bool LeftBehind { get; set; }
    public bool Migrant { get; set; }
    public bool HomeSchooling { get; set; }
    public int Version { get; set; }

    /// <summary>What the form sets on the pupil beyond the keys checked one by one (民族 and 户籍 included).</summary>
    internal void ApplyTo(Student s)
    {
        s.Ethnicity = PersonChecks.Clean(Ethnicity);
        s.HouseholdTownship = PersonChecks.Clean(HouseholdTownship);
        s.Disability = Disability;
        s.GuardianName = PersonChecks.Clean(GuardianName);
        s.GuardianRelation = PersonChecks.Clean(GuardianRelation);
        s.GuardianPhone = PersonChecks.Clean(GuardianPhone);
    }

    /// <summary>The year's 就读方式 and flags onto that year's enrolment.</summary>
    internal void ApplyTo(Enrollment e)
    {
        e.Boarding = Boarding;
        (e.PovertyRegistered, e.SubsistenceAllowance, e.ExtremePoverty, e.Orphan, e.LeftBehind, e.Migrant, e.HomeSchooling) =
            (PovertyRegistered, SubsistenceAllowance, ExtremePoverty, Orphan, LeftBehind, Migrant, HomeSchooling);
    }
}

/// <summary>
/// Creates and edits pupils with the checks the county needs before data is accepted: GB 11643 check digit,
/// birth date and gender agreeing with the ID number, unique 学籍号 and ID number (across the whole database,
/// not only the caller's scope), grade and class belonging to the school, sensible dates, and optimistic concurrency.
/// Scope is enforced by the context: a school out of reach is simply not found.
/// </summary>
public static class EditStudent
{
    public const string StaleMessage = "该学生信息已被其他人修改，您的修改未保存。请重新打开本页，核对最新信息后再修改。";

    public static async Task<Result<long>> CreateAsync(EduDbContext db, StudentForm f, int year, DateOnly today, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        var school = await CheckCommonAsync(db, f, null, null, year, today, errors, ct);
        if (f.EntryDate is { } entry)
        {
            if (entry > today) errors[nameof(f.EntryDate)] = "入学日期不能晚于今天";
            else if (f.BirthDate is { } b && entry <= b) errors[nameof(f.EntryDate)] = "入学日期不能早于出生日期";
        }
        if (errors.Count > 0 || school is null) return Result.Invalid<long>(errors);

        var classId = await ClassIdAsync(db, school, year, f, errors, ct);
        if (errors.Count > 0) return Result.Invalid<long>(errors);

        var student = new Student
        {
            StudentNo = f.StudentNo!.Trim(),
            Name = f.Name!.Trim(),
            Gender = f.Gender!.Value,
            BirthDate = f.BirthDate!.Value,
            IdNumber = PersonChecks.Clean(f.IdNumber)?.ToUpperInvariant(),
            EntryYearMonth = f.EntryDate?.ToString("yyyy-MM"),
            CountyId = school.CountyId,
        };
        f.ApplyTo(student);
        var enrollment = new Enrollment
        {
            Year = year, SchoolId = school.Id, Grade = f.Grade!.Value, ClassId = classId, CountyId = school.CountyId,
            Status = StatusRules.Apply(null, StatusEventKind.Admitted)!.Value,
        };
        f.ApplyTo(enrollment);
        student.Enrollments.Add(enrollment);
        student.StatusEvents.Add(new StatusEvent
        {
            Year = year, Date = f.EntryDate ?? today, Kind = StatusEventKind.Admitted, SchoolId = school.Id, CountyId = school.CountyId,
        });
        db.Students.Add(student);
        if (await db.SaveOrBusyAsync(ct: ct) is { Succeeded: false } failed) return failed.Of<long>();
        return Result.Saved(student.Id);
    }

    public static async Task<Result<long>> UpdateAsync(EduDbContext db, long id, StudentForm f, int year, DateOnly today, CancellationToken ct = default)
    {
        var student = await db.Students.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (student is null) return Result.NotFound<long>();
        if (student.Version != f.Version) return Result.Conflict<long>(StaleMessage);
        // Only the unit of the pupil's current school writes his record (the context refuses it too; this says so on the form).
        if (!await PersonWriteScope.MayWriteStudentAsync(db, id, ct)) return Result.Invalid<long>(PersonWriteScope.StudentOutOfReach);
        var enrollment = await db.Enrollments.Include(e => e.School).FirstOrDefaultAsync(e => e.StudentId == id && e.Year == year, ct);
        // The school of an existing pupil changes only by transfer.
        f.SchoolId = enrollment?.SchoolId;

        var errors = new Dictionary<string, string>();
        var school = await CheckCommonAsync(db, f, id, student.Ethnicity, year, today, errors, ct);
        int? classId = null;
        if (enrollment is not null && school is not null && errors.Count == 0)
            classId = await ClassIdAsync(db, school, year, f, errors, ct);
        if (errors.Count > 0) return Result.Invalid<long>(errors);

        student.StudentNo = f.StudentNo!.Trim();
        student.Name = f.Name!.Trim();
        student.Gender = f.Gender!.Value;
        student.BirthDate = f.BirthDate!.Value;
        student.IdNumber = PersonChecks.Clean(f.IdNumber)?.ToUpperInvariant();
        f.ApplyTo(student);
        if (enrollment is not null)
        {
            enrollment.Grade = f.Grade!.Value;
            enrollment.ClassId = classId;
            f.ApplyTo(enrollment);
        }
        // The version the user saw is the one the database must still hold, or the save fails.
        db.Entry(student).Property(s => s.Version).OriginalValue = f.Version;
        if (await db.SaveOrBusyAsync(StaleMessage, ct) is { Succeeded: false } failed) return failed.Of<long>();
        return Result.Saved(student.Id);
    }

    /// <summary>Fills <paramref name="errors"/>; returns the school when it is visible to the caller.</summary>
    /// <param name="storedEthnicity">The pupil's 民族 as stored: kept when unchanged even if it is not in the list.</param>
    private static async Task<School?> CheckCommonAsync(EduDbContext db, StudentForm f, long? selfId, string? storedEthnicity, int year, DateOnly today,
        Dictionary<string, string> errors, CancellationToken ct)
    {
        CheckPersonal(f, storedEthnicity, errors);
        var no = f.StudentNo?.Trim();
        if (string.IsNullOrEmpty(no)) errors[nameof(f.StudentNo)] = "请填写学籍号";
        else if (no.Length > 30) errors[nameof(f.StudentNo)] = "学籍号不能超过30个字符";
        // County-wide: a 学籍号 is unique in the whole county, also among pupils outside this scope.
        else if (await db.Students.CountyWide().AnyAsync(s => s.StudentNo == no && s.Id != selfId, ct))
            errors[nameof(f.StudentNo)] = $"学籍号“{no}”已存在，不能重复";
        var name = f.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors[nameof(f.Name)] = "请填写姓名";
        else if (name.Length > 50) errors[nameof(f.Name)] = "姓名不能超过50个字符";

        PersonChecks.Check(errors, f.IdNumber, f.BirthDate, f.Gender, today, 2, 30);
        var idNo = PersonChecks.Clean(f.IdNumber)?.ToUpperInvariant();
        // County-wide: one pupil per 身份证件号 in the whole county.
        if (idNo is not null && !errors.ContainsKey(nameof(f.IdNumber))
            && await db.Students.CountyWide().AnyAsync(s => s.IdNumber == idNo && s.Id != selfId, ct))
            errors[nameof(f.IdNumber)] = "该身份证件号已登记在另一名学生名下";

        School? school = null;
        if (f.SchoolId is not { } schoolId)
        {
            if (selfId is null) errors[nameof(f.SchoolId)] = "请选择学校";
        }
        else if ((school = await db.Schools.FirstOrDefaultAsync(s => s.Id == schoolId, ct)) is null)
            errors[nameof(f.SchoolId)] = "学校不存在，或不在您的权限范围内";
        else if (selfId is null && await Organization.OpenSchools.RefuseClosedAsync(db, school, ct) is { } closed)
            errors[nameof(f.SchoolId)] = closed;

        if (f.Grade is not { } grade)
        {
            if (school is not null) errors[nameof(f.Grade)] = "请选择年级";
        }
        else if (school is not null && !GradeInfo.GradesOf(school.Level).Contains(grade))
            errors[nameof(f.Grade)] = $"{school.Name}（{school.Level.Zh()}）没有{grade.Zh()}";
        return school;
    }

    /// <summary>民族 from the list, the guardian's fields within their columns, the phone as digits, known enum values.</summary>
    private static void CheckPersonal(StudentForm f, string? storedEthnicity, Dictionary<string, string> errors)
    {
        var ethnicity = PersonChecks.Clean(f.Ethnicity);
        if (ethnicity is not null && !Ethnicities.IsKnown(ethnicity) && ethnicity != storedEthnicity)
            errors[nameof(f.Ethnicity)] = Ethnicities.NotInList(ethnicity);
        if (PersonChecks.Clean(f.HouseholdTownship) is { Length: > 100 }) errors[nameof(f.HouseholdTownship)] = "户籍乡镇不能超过100个字符";
        if (PersonChecks.Clean(f.GuardianName) is { Length: > 50 }) errors[nameof(f.GuardianName)] = "监护人姓名不能超过50个字符";
        if (PersonChecks.Clean(f.GuardianRelation) is { Length: > 20 }) errors[nameof(f.GuardianRelation)] = "与学生关系不能超过20个字符";
        if (PersonChecks.Clean(f.GuardianPhone) is { } phone && (phone.Length is < 7 or > 20 || !phone.All(char.IsAsciiDigit)))
            errors[nameof(f.GuardianPhone)] = "联系电话应为7到20位数字（手机号或含区号的固定电话，不加空格和横线）";
        if (!Enum.IsDefined(f.Disability)) errors[nameof(f.Disability)] = "请从列表中选择残疾类型";
        if (!Enum.IsDefined(f.Boarding)) errors[nameof(f.Boarding)] = "请选择就读方式（走读或住校）";
    }

    private static async Task<int?> ClassIdAsync(EduDbContext db, School school, int year, StudentForm f, Dictionary<string, string> errors, CancellationToken ct)
    {
        var name = PersonChecks.Clean(f.ClassName);
        if (name is null) return null;
        var id = await db.Classes.Where(c => c.SchoolId == school.Id && c.Year == year && c.Grade == f.Grade && c.Name == name)
            .Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
        if (id is null) errors[nameof(f.ClassName)] = $"{school.Name}{year}学年{f.Grade!.Value.Zh()}没有“{name}”这个班级";
        return id;
    }
}

/// <summary>转出/转入 within the county: the year's enrollment moves to the new school, both events are recorded.</summary>
public static class TransferStudent
{
    public static async Task<Result<long>> RunAsync(EduDbContext db, long studentId, int year, int? toSchoolId, string? className,
        DateOnly? date, string? note, int version, DateOnly today, CancellationToken ct = default)
    {
        var student = await db.Students.FirstOrDefaultAsync(s => s.Id == studentId, ct);
        if (student is null) return Result.NotFound<long>();
        if (student.Version != version) return Result.Conflict<long>(EditStudent.StaleMessage);
        // Only the unit of the pupil's current school writes his record (the context refuses it too; this says so on the form).
        if (!await PersonWriteScope.MayWriteStudentAsync(db, studentId, ct)) return Result.Invalid<long>(PersonWriteScope.StudentOutOfReach);
        var enrollment = await db.Enrollments.Include(e => e.School).FirstOrDefaultAsync(e => e.StudentId == studentId && e.Year == year, ct);
        var errors = new Dictionary<string, string>();
        if (enrollment is null)
            return Result.Invalid<long>(new Dictionary<string, string> { ["ToSchoolId"] = $"该学生在{year}学年没有本单位范围内的学籍，不能办理转学" });
        if (StatusRules.Refusal(enrollment.Status, StatusEventKind.TransferOut) is { } refused)
            errors["ToSchoolId"] = refused;

        School? to = null;
        if (toSchoolId is not { } tid) errors["ToSchoolId"] = "请选择转入学校";
        else if (tid == enrollment.SchoolId) errors["ToSchoolId"] = "转入学校不能是当前学校";
        else if ((to = await db.Schools.FirstOrDefaultAsync(s => s.Id == tid, ct)) is null)
            errors["ToSchoolId"] = "转入学校不存在，或不在您的权限范围内";
        else if (await Organization.OpenSchools.RefuseClosedAsync(db, to, ct) is { } closed) errors["ToSchoolId"] = closed;
        else if (to.CountyId != enrollment.School.CountyId) errors["ToSchoolId"] = "只能在本县范围内转学";
        else if (!GradeInfo.GradesOf(to.Level).Contains(enrollment.Grade))
            errors["ToSchoolId"] = $"{to.Name}（{to.Level.Zh()}）没有{enrollment.Grade.Zh()}";

        var start = new DateOnly(year, 9, 1);
        if (date is not { } d) errors["Date"] = "请填写转学日期";
        else if (d > today) errors["Date"] = "转学日期不能晚于今天";
        else if (d < start || d >= start.AddYears(1)) errors["Date"] = $"转学日期应在{year}学年内（{start:yyyy-MM-dd} 至 {start.AddYears(1).AddDays(-1):yyyy-MM-dd}）";

        int? classId = null;
        var cls = PersonChecks.Clean(className);
        if (cls is not null && to is not null && errors.Count == 0)
        {
            classId = await db.Classes.Where(c => c.SchoolId == to.Id && c.Year == year && c.Grade == enrollment.Grade && c.Name == cls)
                .Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
            if (classId is null) errors["ClassName"] = $"{to.Name}{year}学年{enrollment.Grade.Zh()}没有“{cls}”这个班级";
        }
        if (errors.Count > 0) return Result.Invalid<long>(errors);

        var from = enrollment.School;
        var afterOut = StatusRules.Apply(enrollment.Status, StatusEventKind.TransferOut)!.Value;
        var afterIn = StatusRules.Apply(afterOut, StatusEventKind.TransferIn)!.Value;
        var memo = PersonChecks.Clean(note);
        db.StatusEvents.Add(new StatusEvent
        {
            StudentId = student.Id, Year = year, Date = date!.Value, Kind = StatusEventKind.TransferOut,
            SchoolId = from.Id, OtherSchoolId = to!.Id, Note = memo, CountyId = from.CountyId,
        });
        db.StatusEvents.Add(new StatusEvent
        {
            StudentId = student.Id, Year = year, Date = date.Value, Kind = StatusEventKind.TransferIn,
            SchoolId = to.Id, OtherSchoolId = from.Id, Note = memo, CountyId = to.CountyId,
        });
        enrollment.SchoolId = to.Id;
        enrollment.School = to;
        enrollment.ClassId = classId;
        enrollment.Status = afterIn;
        // Bump the pupil's version too, so an edit form opened before the transfer cannot overwrite it.
        db.Entry(student).Property(s => s.Version).OriginalValue = version;
        db.Entry(student).State = EntityState.Modified;
        if (await db.SaveOrBusyAsync(EditStudent.StaleMessage, ct) is { Succeeded: false } failed) return failed.Of<long>();
        return Result.Saved(student.Id);
    }
}
