using EduBureau.Core.Common;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EduBureau.Core.Data;

/// <summary>
/// Who may write a pupil's or staff member's master record (#14, docs/security.md "Write scope"): a unit whose scope
/// covers the person's <b>current</b> school — the school of their enrolment (assignment) in the latest year they have
/// one. Reading stays as it is (every school that ever had the person sees their history, <see cref="EduDbContext.PersonScope"/>);
/// writing follows the person, so a former school cannot rename a pupil who moved on.
/// </summary>
public static class PersonWriteScope
{
    /// <summary>The only thing a refusal says: nothing about the other school or the person.</summary>
    public const string OutOfReach = "不存在或不在你的管理范围内";
    public const string StudentOutOfReach = "该学生" + OutOfReach;
    public const string StaffOutOfReach = "该教职工" + OutOfReach;

    /// <summary>
    /// Statuses of a pupil who has left the school of his latest enrolment (毕业, 转出, 辍学): the school that takes him in
    /// a later year may import him (小升初, a return), which makes it his current school.
    /// </summary>
    public static bool HasLeft(EnrollmentStatus status) =>
        status is EnrollmentStatus.Graduated or EnrollmentStatus.TransferredOut or EnrollmentStatus.DroppedOut;

    /// <summary>Whether the caller may change this pupil's record (the edit and transfer pages ask before they save).</summary>
    public static async Task<bool> MayWriteStudentAsync(EduDbContext db, long studentId, CancellationToken ct = default)
    {
        if (db.Scope.IsUnrestricted) return true;
        var latest = await LatestStudentSchoolsAsync(db, [studentId], ct);
        return latest.TryGetValue(studentId, out var current) && await CoverAllAsync(db, [current.School], ct);
    }

    /// <summary>Whether the caller may change this staff member's record.</summary>
    public static async Task<bool> MayWriteStaffAsync(EduDbContext db, long staffId, CancellationToken ct = default)
    {
        if (db.Scope.IsUnrestricted) return true;
        var latest = await LatestStaffSchoolsAsync(db, [staffId], ct);
        return latest.TryGetValue(staffId, out var current) && await CoverAllAsync(db, [current.School], ct);
    }

    /// <summary>
    /// The save check (<see cref="EduDbContext"/>): a modified or deleted <see cref="Student"/> / <see cref="StaffMember"/>
    /// needs its current school in scope. An enrolment (assignment) of the latest year or later added or moved in the
    /// same save — a transfer — makes its school the current one (that school is checked with the other changed rows).
    /// </summary>
    internal static async Task CheckAsync(EduDbContext db, List<EntityEntry> changed, CancellationToken ct)
    {
        static bool Written(EntityEntry e) => e.State is EntityState.Modified or EntityState.Deleted;
        var students = changed.Where(e => Written(e) && e.Entity is Student).Select(e => ((Student)e.Entity).Id).Distinct().ToList();
        var staff = changed.Where(e => Written(e) && e.Entity is StaffMember).Select(e => ((StaffMember)e.Entity).Id).Distinct().ToList();
        if (students.Count == 0 && staff.Count == 0) return;
        var schools = new HashSet<int>();
        if (students.Count > 0)
        {
            var latest = await LatestStudentSchoolsAsync(db, students, ct);
            foreach (var e in db.ChangeTracker.Entries<Enrollment>().Where(e => e.State is EntityState.Added or EntityState.Modified))
                Overlay(latest, e.Entity.StudentId, e.Entity.Year, e.Entity.SchoolId);
            Collect(latest, students, schools, StudentOutOfReach);
        }
        if (staff.Count > 0)
        {
            var latest = await LatestStaffSchoolsAsync(db, staff, ct);
            foreach (var e in db.ChangeTracker.Entries<StaffAssignment>().Where(e => e.State is EntityState.Added or EntityState.Modified))
                Overlay(latest, e.Entity.StaffId, e.Entity.Year, e.Entity.SchoolId);
            Collect(latest, staff, schools, StaffOutOfReach);
        }
        if (!await CoverAllAsync(db, schools, ct))
            throw new ScopeViolationException(students.Count > 0 ? StudentOutOfReach : StaffOutOfReach);
    }

    private static void Overlay(Dictionary<long, (int Year, int School)> latest, long person, int year, int school)
    {
        if (!latest.TryGetValue(person, out var was) || year >= was.Year) latest[person] = (year, school);
    }

    /// <summary>The current school of each person; one without any enrolment (assignment) belongs to no school: refused.</summary>
    private static void Collect(Dictionary<long, (int Year, int School)> latest, List<long> people, HashSet<int> schools, string message)
    {
        foreach (var id in people)
        {
            if (!latest.TryGetValue(id, out var current)) throw new ScopeViolationException(message);
            schools.Add(current.School);
        }
    }

    // County-wide: the current school is wherever the person is now, inside or outside the caller's scope.
    private static async Task<Dictionary<long, (int Year, int School)>> LatestStudentSchoolsAsync(EduDbContext db, List<long> ids, CancellationToken ct) =>
        Latest((await db.Enrollments.CountyWide().Where(e => ids.Contains(e.StudentId))
            .Select(e => new { e.StudentId, e.Year, e.SchoolId }).ToListAsync(ct)).Select(e => (e.StudentId, e.Year, e.SchoolId)));

    private static async Task<Dictionary<long, (int Year, int School)>> LatestStaffSchoolsAsync(EduDbContext db, List<long> ids, CancellationToken ct) =>
        Latest((await db.StaffAssignments.CountyWide().Where(a => ids.Contains(a.StaffId))
            .Select(a => new { a.StaffId, a.Year, a.SchoolId }).ToListAsync(ct)).Select(a => (a.StaffId, a.Year, a.SchoolId)));

    private static Dictionary<long, (int Year, int School)> Latest(IEnumerable<(long Person, int Year, int School)> rows)
    {
        var latest = new Dictionary<long, (int Year, int School)>();
        foreach (var (person, year, school) in rows)
            if (!latest.TryGetValue(person, out var was) || year > was.Year) latest[person] = (year, school);
        return latest;
    }

    /// <summary>Every school is within the caller's scope (tracked paths: a school the same save moves counts where it goes).</summary>
    private static async Task<bool> CoverAllAsync(EduDbContext db, ICollection<int> schools, CancellationToken ct)
    {
        if (db.Scope.IsUnrestricted || schools.Count == 0) return true;
        var ids = schools.ToList();
        var paths = await db.Schools.CountyWideForWrite().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Path, ct);
        return ids.All(id => paths.TryGetValue(id, out var path) && db.Scope.Covers(path));
    }
}
