using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EduBureau.Core.Plans;

/// <summary>
/// The owner of a measure reports progress on it and sets its status: the plan's editors (局管理员 over the plan's unit),
/// a writer (乡镇/学校) whose scope covers the measure's 责任学校, and the 科室 named as its 责任科室 — the one write a
/// 科室 may make. The context enforces it on save (<see cref="CheckWritesAsync"/>); the use cases here only say so first.
/// </summary>
public static class PlanProgress
{
    public const string NotOwner = "只有该措施的责任科室、责任学校或计划的编制单位可以报告进展";

    /// <summary>
    /// The 科室 a 科室 account speaks for: its display name without a trailing note in brackets ("基础教育股（演示）" →
    /// "基础教育股"), matched against a measure's 责任科室. Null for other roles or an account without a name.
    /// </summary>
    public static async Task<string?> DepartmentOfAsync(EduDbContext db, CancellationToken ct = default)
    {
        if (db.Scope.Role != Roles.Department) return null;
        var normalized = db.Scope.Actor.ToUpperInvariant();
        var display = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalized).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        return DepartmentName(display);
    }

    /// <summary>A 科室 name compared loosely: trimmed, a trailing "（…）" or "(…)" note dropped; null when empty.</summary>
    public static string? DepartmentName(string? name)
    {
        var s = name?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        if (s.EndsWith('）') && s.LastIndexOf('（') is > 0 and var i) s = s[..i].TrimEnd();
        else if (s.EndsWith(')') && s.LastIndexOf('(') is > 0 and var j) s = s[..j].TrimEnd();
        return s.Length == 0 ? null : s;
    }

    /// <summary>Whether <paramref name="department"/> (from <see cref="DepartmentOfAsync"/>) is the measure's 责任科室.</summary>
    public static bool OwnedBy(string? department, string? taskDepartment) =>
        department is not null && DepartmentName(taskDepartment) == department;

    /// <summary>Who may report on a measure and set its status (the page shows the form to exactly these).</summary>
    public static bool CanReport(EduDbContext db, string planUnitPath, PlanTask task, string? department) =>
        PlanStore.CanEdit(db, planUnitPath)
        || db.Scope.CanWrite && task.School is { } s && db.Scope.Covers(s.Path)
        || OwnedBy(department, task.Department);

    /// <summary>Sets a measure's status (and, for the plan's editors, its deadline).</summary>
    public static async Task<Result> SetStatusAsync(EduDbContext db, int planId, int taskId, PlanTaskStatus status, DateOnly? deadline,
        CancellationToken ct = default)
    {
        if (await OwnTaskAsync(db, planId, taskId, ct) is not { } found) return Result.NotFound("该措施不存在");
        if (!found.MayReport) return Result.Forbidden(NotOwner);
        if (!Enum.IsDefined(status)) return Result.Invalid(new Dictionary<string, string> { ["status"] = "状态无效" });
        var tracked = await db.Set<PlanTask>().SingleAsync(t => t.Id == taskId, ct);
        tracked.Status = status;
        if (found.Editor) tracked.Deadline = deadline;
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>Adds a dated progress report (optional attachment, at most <see cref="ProgressReport.MaxAttachmentBytes"/>).</summary>
    public static async Task<Result<long>> ReportAsync(EduDbContext db, int planId, int taskId, DateOnly date, string? text,
        string? attachmentName, byte[]? attachment, CancellationToken ct = default)
    {
        if (await OwnTaskAsync(db, planId, taskId, ct) is not { } found) return Result.NotFound<long>("该措施不存在");
        if (!found.MayReport) return Result.Forbidden<long>(NotOwner);
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(text)) errors["text"] = "请填写进展情况";
        else if (text.Trim().Length > 4000) errors["text"] = "进展情况不能超过 4000 字";
        if (attachment is { Length: > ProgressReport.MaxAttachmentBytes }) errors["attachment"] = "附件不能超过 5 MB";
        if (errors.Count > 0) return Result.Invalid<long>(errors);
        var report = new ProgressReport { TaskId = taskId, Date = date, Text = text!.Trim(), Author = db.Scope.Actor };
        if (attachment is { Length: > 0 })
        {
            var name = new string(Path.GetFileName(attachmentName ?? "").Where(c => !char.IsControl(c) && c is not ('"' or '\\' or '/')).ToArray());
            report.AttachmentName = name.Length == 0 ? "附件" : name[..Math.Min(200, name.Length)];
            report.AttachmentData = attachment;
        }
        db.Set<ProgressReport>().Add(report);
        await db.SaveChangesAsync(ct);
        return Result.Ok(report.Id);
    }

    private sealed record Found(bool MayReport, bool Editor);

    private static async Task<Found?> OwnTaskAsync(EduDbContext db, int planId, int taskId, CancellationToken ct)
    {
        if (await PlanStore.LoadAsync(db, planId, ct: ct) is not { } loaded) return null;
        var task = loaded.Plan.Sections.SelectMany(s => s.Tasks).FirstOrDefault(t => t.Id == taskId);
        if (task is null) return null;
        var department = await DepartmentOfAsync(db, ct);
        return new Found(CanReport(db, loaded.Summary.UnitPath, task, department), PlanStore.CanEdit(db, loaded.Summary.UnitPath));
    }

    /// <summary>
    /// The save check for measures and their reports, called by the context for every scoped user. A read-only 科室 passes
    /// only when the save is nothing but reports on, and status changes of, measures whose 责任科室 it is (returns true);
    /// a writer may add reports to and change the status of measures it owns, and do anything to the measures of a
    /// plan whose unit its scope covers. Anything else throws. Returns false when the save holds no such rows.
    /// </summary>
    internal static async Task<bool> CheckWritesAsync(EduDbContext db, List<EntityEntry> changed, CancellationToken ct)
    {
        var rows = changed.Where(e => e.Entity is ProgressReport or PlanTask).ToList();
        if (rows.Count == 0) return false;
        var readOnly = !db.Scope.CanWrite;
        if (readOnly && rows.Count != changed.Count) throw new ScopeViolationException("当前角色为只读，不能修改数据");
        // Added measures come with a plan or section its editor is saving (PlanStore checks the editor first).
        var taskIds = rows.Select(e => e.Entity switch
        {
            ProgressReport r => r.TaskId,
            PlanTask t when e.State != EntityState.Added => t.Id,
            _ => 0,
        }).Where(id => id > 0).Distinct().ToList();
        // County-wide: the plan's unit may lie above the scope (a township reports on the county's plan).
        var owners = await (from t in db.Set<PlanTask>().CountyWide()
                            join s in db.Set<PlanSection>().CountyWide() on t.SectionId equals s.Id
                            join p in db.Set<WorkPlan>().CountyWide() on s.PlanId equals p.Id
                            join u in db.OrgUnits.CountyWide() on p.OrgUnitId equals u.Id
                            where taskIds.Contains(t.Id)
                            select new { t.Id, t.Department, SchoolPath = t.School == null ? null : t.School.Path, UnitPath = u.Path })
            .ToDictionaryAsync(x => x.Id, ct);
        var department = await DepartmentOfAsync(db, ct);
        foreach (var e in rows)
        {
            if (e.Entity is PlanTask && e.State == EntityState.Added)
            {
                if (readOnly) throw new ScopeViolationException("当前角色为只读，不能修改数据");
                continue;
            }
            var taskId = e.Entity is ProgressReport r ? r.TaskId : ((PlanTask)e.Entity).Id;
            if (!owners.TryGetValue(taskId, out var owner)) throw new ScopeViolationException(NotOwner);
            var editor = db.Scope.CanWrite && db.Scope.Covers(owner.UnitPath);
            if (editor) continue;
            // The owner's write: a new report, or the status of the measure, nothing else.
            var ownerWrite = e.Entity is ProgressReport ? e.State == EntityState.Added
                : e.State == EntityState.Modified && e.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue))
                    .All(p => p.Metadata.Name == nameof(PlanTask.Status));
            var owns = db.Scope.CanWrite && owner.SchoolPath is { } path && db.Scope.Covers(path) || OwnedBy(department, owner.Department);
            if (!ownerWrite || !owns) throw new ScopeViolationException(NotOwner);
        }
        return true;
    }
}
