using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Staff;

/// <summary>
/// 调动: moves a staff member's assignment for one school year to another school of the same county.
/// Both schools must be within the caller's scope (the context refuses a save outside it).
/// </summary>
public static class TransferStaff
{
    public static async Task<Result<long>> RunAsync(EduDbContext db, long staffId, int year, int? toSchoolId, int version, CancellationToken ct = default)
    {
        var staff = await db.StaffMembers.FirstOrDefaultAsync(s => s.Id == staffId, ct);
        if (staff is null) return Result.NotFound<long>();
        if (staff.Version != version) return Result.Conflict<long>(EditStaff.StaleMessage);
        // Only the unit of the staff member's current school writes the record (the context refuses it too; this says so on the form).
        if (!await PersonWriteScope.MayWriteStaffAsync(db, staffId, ct)) return Result.Invalid<long>(PersonWriteScope.StaffOutOfReach);
        var assignment = await db.StaffAssignments.Include(a => a.School).FirstOrDefaultAsync(a => a.StaffId == staffId && a.Year == year, ct);
        if (assignment is null)
            return Result.Invalid<long>(new Dictionary<string, string> { ["ToSchoolId"] = $"该教职工在{year}学年没有本单位范围内的任职记录，不能办理调动" });

        var errors = new Dictionary<string, string>();
        School? to = null;
        if (toSchoolId is not { } tid) errors["ToSchoolId"] = "请选择调入学校";
        else if (tid == assignment.SchoolId) errors["ToSchoolId"] = "调入学校不能是当前学校";
        else if ((to = await db.Schools.FirstOrDefaultAsync(s => s.Id == tid, ct)) is null)
            errors["ToSchoolId"] = "调入学校不存在，或不在您的权限范围内";
        else if (await Organization.OpenSchools.RefuseClosedAsync(db, to, ct) is { } closed) errors["ToSchoolId"] = closed;
        else if (to.CountyId != assignment.School.CountyId) errors["ToSchoolId"] = "只能在本县范围内调动";
        if (errors.Count > 0) return Result.Invalid<long>(errors);

        assignment.SchoolId = to!.Id;
        assignment.School = to;
        assignment.CountyId = to.CountyId;
        // Bump the person's version too, so an edit form opened before the transfer cannot overwrite it.
        db.Entry(staff).Property(s => s.Version).OriginalValue = version;
        db.Entry(staff).State = EntityState.Modified;
        if (await db.SaveOrBusyAsync(EditStaff.StaleMessage, ct) is { Succeeded: false } failed) return failed.Of<long>();
        return Result.Saved(staff.Id);
    }
}
