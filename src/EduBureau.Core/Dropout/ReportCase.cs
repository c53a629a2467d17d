using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Dropout;

/// <summary>A pupil a school may report: current school in the caller's scope.</summary>
public sealed record ReportablePupil(long StudentId, string StudentNo, string Name, string School, Grade Grade, EnrollmentStatus Status);

/// <summary>What the school writes when it reports a pupil who stopped coming (学校上报).</summary>
public sealed record DropoutReport(long StudentId, DropoutReasonCategory Reason, string? Note, DateOnly LastAtSchool, string? Guardian, string? Phone);

/// <summary>
/// 学校上报: a school (or its township, or the bureau) reports a pupil of its own who stopped coming, without waiting for
/// the yearly comparison; the report opens a ledger case with source 学校上报. Only a pupil whose CURRENT school (the
/// latest enrolment up to the school year) is in the caller's scope may be reported: a school also sees pupils who
/// left it, and must not report them.
/// </summary>
public static class ReportCase
{
    public const int MaxResults = 20;

    /// <summary>Pupils of the caller's schools whose name contains <paramref name="name"/> (at most <see cref="MaxResults"/>).</summary>
    public static async Task<IReadOnlyList<ReportablePupil>> SearchAsync(EduDbContext db, int year, string? name, CancellationToken ct = default)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) return [];
        var rows = await db.Enrollments.WithoutPersonRecheck().AsNoTracking()
            .Where(e => e.Year == year && e.Student.Name.Contains(name)
                && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended || e.Status == EnrollmentStatus.DroppedOut))
            .OrderBy(e => e.Student.Name).ThenBy(e => e.Student.StudentNo).Take(MaxResults * 2)
            .Select(e => new { e.StudentId, e.Student.StudentNo, e.Student.Name, School = e.School.Name, e.SchoolId, e.Grade, e.Status })
            .ToListAsync(ct);
        var current = await CurrentAsync(db, [.. rows.Select(r => r.StudentId).Distinct()], year, ct);
        // Moved to another school this year: that school reports, not this one.
        return [.. rows.DistinctBy(r => r.StudentId).Where(r => current.GetValueOrDefault(r.StudentId)?.SchoolId == r.SchoolId)
            .Take(MaxResults).Select(r => new ReportablePupil(r.StudentId, r.StudentNo, r.Name, r.School, r.Grade, r.Status))];
    }

    /// <summary>Opens a 学校上报 case. Refused (with the reason in Chinese) for a pupil of another school.</summary>
    public static async Task<Result<long>> RunAsync(EduDbContext db, int year, DropoutReport report, TimeProvider clock, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        if (!Enum.IsDefined(report.Reason)) return Result.Invalid<long>("辍学原因无效");
        if (report.LastAtSchool > today) return Result.Invalid<long>("最后到校日期不能晚于今天");
        if (report.LastAtSchool < today.AddYears(-1)) return Result.Invalid<long>("最后到校日期早于一年以前：请核实");
        // The pupil and the current school are read county-wide and then checked against the scope: a school sees a
        // pupil who left it (the person filter), but the current school decides who may report.
        var student = await db.Students.CountyWide().Where(s => s.Id == report.StudentId)
            .Select(s => new { s.Id, s.StudentNo, s.Name, s.IdNumber, s.BirthDate }).FirstOrDefaultAsync(ct);
        var current = student is null ? null : (await CurrentAsync(db, [student.Id], year, ct)).GetValueOrDefault(student.Id);
        // A pupil the caller never had is "not found"; one who left the caller's school is refused (without naming the new school).
        if (student is null || current is null || !await db.Students.AnyAsync(s => s.Id == report.StudentId, ct))
            return Result.NotFound<long>("找不到该学生的学籍");
        if (!db.Scope.Covers(current.Path))
            return Result.Forbidden<long>("该学生当前不在本校（本单位所属学校）学籍中，不能上报：只能上报当前在本校就读的学生");
        if (current.Status is EnrollmentStatus.TransferredOut or EnrollmentStatus.Graduated or EnrollmentStatus.Deceased)
            return Result.Invalid<long>($"该学生学籍状态为{current.Status.Zh()}，不能上报辍学");
        if (!current.Grade.IsCompulsory() && !DropoutDetection.IsCompulsoryAge(student.BirthDate, year))
            return Result.Invalid<long>("只有义务教育阶段的学生可以上报辍学");
        var open = await db.Set<DropoutCase>().CountyWide()
            .Where(c => c.StudentId == student.Id && c.Status == CaseStatus.Open).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (open is long openId) return Result.Conflict<long>($"该学生已有劝返中的台账 #{openId}，请在该案件中记录");

        var register = student.IdNumber is null ? null : await db.Set<RegisterEntry>().AsNoTracking()
            .Where(e => e.IdNumber == student.IdNumber).OrderByDescending(e => e.Year).FirstOrDefaultAsync(ct);
        var note = $"最后到校 {report.LastAtSchool:yyyy-MM-dd}" + (string.IsNullOrWhiteSpace(report.Note) ? "" : "；" + report.Note.Trim());
        var c = new DropoutCase
        {
            Year = year, StudentId = student.Id, StudentNo = student.StudentNo, IdNumber = student.IdNumber, Name = student.Name,
            LastGrade = current.Grade, Source = CaseSource.Reported, Reason = report.Reason, ReasonNote = Trim(note, 500),
            Guardian = Trim(report.Guardian, 50) ?? register?.Guardian, GuardianPhone = Trim(report.Phone, 30) ?? register?.Phone,
            Village = register?.Village, SchoolId = current.SchoolId, TownshipId = current.TownshipId,
            Priority = register?.PovertyHousehold == true || current.Poverty, OpenedOn = today,
        };
        db.Set<DropoutCase>().Add(c);
        await db.SaveChangesAsync(ct);
        return Result.Ok(c.Id);
    }

    private sealed record Current(long StudentId, int Year, long Id, int SchoolId, string Path, int TownshipId, Grade Grade, EnrollmentStatus Status, bool Poverty)
    {
        public bool InSchool => Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended;
    }

    /// <summary>
    /// Each pupil's latest enrolment up to <paramref name="year"/> (an in-school row first within a year), county-wide,
    /// in one query for all of them (a search checks up to 40 pupils).
    /// </summary>
    private static async Task<Dictionary<long, Current>> CurrentAsync(EduDbContext db, IReadOnlyCollection<long> studentIds, int year, CancellationToken ct)
    {
        if (studentIds.Count == 0) return [];
        var rows = await db.Enrollments.CountyWide().Where(e => studentIds.Contains(e.StudentId) && e.Year <= year)
            .Select(e => new Current(e.StudentId, e.Year, e.Id, e.SchoolId, e.School.Path, e.School.TownshipId, e.Grade, e.Status, e.PovertyRegistered))
            .ToListAsync(ct);
        return rows.GroupBy(r => r.StudentId).ToDictionary(g => g.Key,
            g => g.OrderByDescending(r => r.Year).ThenBy(r => r.InSchool ? 0 : 1).ThenByDescending(r => r.Id).First());
    }

    private static string? Trim(string? s, int max)
    {
        s = s?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        return s.Length > max ? s[..max] : s;
    }
}
