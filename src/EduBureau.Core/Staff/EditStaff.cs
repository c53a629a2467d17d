using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Staff;

/// <summary>What the staff create/edit form posts. Property names are the error keys.</summary>
public sealed class StaffForm
{
    public string? StaffNo { get; set; }
    public string? Name { get; set; }
    public Gender? Gender { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? IdNumber { get; set; }
    public int? SchoolId { get; set; }
    public StaffPost? Post { get; set; }
    public string? Subject { get; set; }
    public EducationLevel? Education { get; set; }
    public bool PreschoolMajor { get; set; }
    public ProfessionalTitle Title { get; set; }
    public BackboneLevel Backbone { get; set; }
    public string? Honors { get; set; }
    /// <summary>参加工作年月, YYYY-MM.</summary>
    public string? WorkStart { get; set; }
    public bool Established { get; set; }
    public int Version { get; set; }
}

/// <summary>Creates and edits staff with the same checks as pupils (see <see cref="Students.EditStudent"/>).</summary>
public static class EditStaff
{
    public const string StaleMessage = "该教职工信息已被其他人修改，您的修改未保存。请重新打开本页，核对最新信息后再修改。";

    public static async Task<Result<long>> CreateAsync(EduDbContext db, StaffForm f, int year, DateOnly today, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        var school = await CheckAsync(db, f, null, today, errors, ct);
        if (school is null && !errors.ContainsKey(nameof(f.SchoolId))) errors[nameof(f.SchoolId)] = "请选择学校";
        if (errors.Count > 0 || school is null) return Result.Invalid<long>(errors);
        var staff = new StaffMember { StaffNo = f.StaffNo!.Trim(), Name = f.Name!.Trim(), CountyId = school.CountyId };
        Apply(staff, f);
        staff.Assignments.Add(new StaffAssignment { Year = year, SchoolId = school.Id, CountyId = school.CountyId });
        db.StaffMembers.Add(staff);
        if (await db.SaveOrBusyAsync(ct: ct) is { Succeeded: false } failed) return failed.Of<long>();
        return Result.Saved(staff.Id);
    }

    public static async Task<Result<long>> UpdateAsync(EduDbContext db, long id, StaffForm f, DateOnly today, CancellationToken ct = default)
    {
        var staff = await db.StaffMembers.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (staff is null) return Result.NotFound<long>();
        if (staff.Version != f.Version) return Result.Conflict<long>(StaleMessage);
        // Only the unit of the staff member's current school writes the record (the context refuses it too; this says so on the form).
        if (!await PersonWriteScope.MayWriteStaffAsync(db, id, ct)) return Result.Invalid<long>(PersonWriteScope.StaffOutOfReach);
        f.SchoolId = null; // the school changes by next year's assignment, not by editing the person
        var errors = new Dictionary<string, string>();
        await CheckAsync(db, f, id, today, errors, ct);
        if (errors.Count > 0) return Result.Invalid<long>(errors);
        staff.StaffNo = f.StaffNo!.Trim();
        staff.Name = f.Name!.Trim();
        Apply(staff, f);
        db.Entry(staff).Property(s => s.Version).OriginalValue = f.Version;
        if (await db.SaveOrBusyAsync(StaleMessage, ct) is { Succeeded: false } failed) return failed.Of<long>();
        return Result.Saved(staff.Id);
    }

    private static void Apply(StaffMember s, StaffForm f)
    {
        s.Gender = f.Gender!.Value;
        s.BirthDate = f.BirthDate!.Value;
        s.IdNumber = PersonChecks.Clean(f.IdNumber)?.ToUpperInvariant();
        s.Post = f.Post!.Value;
        s.Subject = PersonChecks.Clean(f.Subject);
        s.Education = f.Education!.Value;
        s.PreschoolMajor = f.PreschoolMajor;
        s.Title = f.Title;
        s.Backbone = f.Backbone;
        s.Honors = PersonChecks.Clean(f.Honors);
        s.WorkStart = PersonChecks.Clean(f.WorkStart);
        s.Established = f.Established;
    }

    private static async Task<School?> CheckAsync(EduDbContext db, StaffForm f, long? selfId, DateOnly today, Dictionary<string, string> errors, CancellationToken ct)
    {
        var no = f.StaffNo?.Trim();
        if (string.IsNullOrEmpty(no)) errors[nameof(f.StaffNo)] = "请填写教职工号";
        else if (no.Length > 30) errors[nameof(f.StaffNo)] = "教职工号不能超过30个字符";
        // County-wide: a 教职工号 is unique in the whole county, also among staff outside this scope.
        else if (await db.StaffMembers.CountyWide().AnyAsync(s => s.StaffNo == no && s.Id != selfId, ct))
            errors[nameof(f.StaffNo)] = $"教职工号“{no}”已存在，不能重复";
        var name = f.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors[nameof(f.Name)] = "请填写姓名";
        else if (name.Length > 50) errors[nameof(f.Name)] = "姓名不能超过50个字符";
        PersonChecks.Check(errors, f.IdNumber, f.BirthDate, f.Gender, today, 16, 75);
        var idNo = PersonChecks.Clean(f.IdNumber)?.ToUpperInvariant();
        // County-wide: one staff member per 身份证件号 in the whole county.
        if (idNo is not null && !errors.ContainsKey(nameof(f.IdNumber))
            && await db.StaffMembers.CountyWide().AnyAsync(s => s.IdNumber == idNo && s.Id != selfId, ct))
            errors[nameof(f.IdNumber)] = "该身份证件号已登记在另一名教职工名下";
        if (f.Post is null) errors[nameof(f.Post)] = "请选择岗位类别";
        if (f.Education is null) errors[nameof(f.Education)] = "请选择最高学历";
        var work = PersonChecks.Clean(f.WorkStart);
        if (work is not null)
        {
            if (!DateOnly.TryParseExact(work + "-01", "yyyy-MM-dd", out var ws)) errors[nameof(f.WorkStart)] = "参加工作年月格式应为 YYYY-MM，例如 2015-09";
            else if (ws > today) errors[nameof(f.WorkStart)] = "参加工作年月不能晚于今天";
            else if (f.BirthDate is { } b && SchoolYear.AgeOn(b, ws) < 16) errors[nameof(f.WorkStart)] = "参加工作时应年满16岁";
        }
        if (f.SchoolId is { } sid)
        {
            var school = await db.Schools.FirstOrDefaultAsync(s => s.Id == sid, ct);
            if (school is null) errors[nameof(f.SchoolId)] = "学校不存在，或不在您的权限范围内";
            else if (selfId is null && await Organization.OpenSchools.RefuseClosedAsync(db, school, ct) is { } closed) errors[nameof(f.SchoolId)] = closed;
            return school;
        }
        return null;
    }
}
