using EduBureau.Core.Data;
using EduBureau.Core.Population;
using EduBureau.Core.Schools;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EduBureau.Core.Collection;

/// <summary>
/// 已锁定 data refuses every write until the bureau unlocks it with a reason (#17, ADR 0014). Checked in the two
/// places every write passes: the context's save (<see cref="CheckAsync"/>) and the importers' row check
/// (<see cref="LoadAsync"/>), for every caller, the CLI and jobs included.
/// </summary>
public static class DataLocks
{
    /// <summary>A locked (dataset, year, unit) with the round that locked it.</summary>
    public sealed record Lock(CollectionDataset Dataset, int Year, int UnitId, string Round);

    /// <summary>The reason a write is refused, naming the round and how to get it unlocked.</summary>
    public static string Refusal(string unitName, Lock l) =>
        $"{unitName}{l.Year}学年的{l.Dataset.Zh()}已在填报任务“{l.Round}”中锁定，不能修改；如需更正，请教育局解锁并填写原因";

    /// <summary>The locks of the given datasets (all years when <paramref name="years"/> is null), whatever the caller's scope.</summary>
    public static async Task<List<Lock>> LoadAsync(EduDbContext db, IReadOnlyCollection<CollectionDataset> datasets,
        IReadOnlyCollection<int>? years, CancellationToken ct)
    {
        // Unfiltered: a lock binds writers whose scope does not see the submission (fail closed).
        var q = db.Set<Submission>().CountyWide()
            .Where(s => s.State == SubmissionState.Locked && datasets.Contains(s.Round.Dataset));
        if (years is not null) q = q.Where(s => years.Contains(s.Round.Year));
        return await q.Select(s => new Lock(s.Round.Dataset, s.Round.Year, s.UnitId, s.Round.Title)).ToListAsync(ct);
    }

    /// <summary>Each person's latest year and school (the few people an EF save changes).</summary>
    private static IEnumerable<(CollectionDataset, int, int)> Latest(List<(long Person, int Year, int School)> rows, CollectionDataset dataset) =>
        rows.GroupBy(r => r.Person).Select(g => g.MaxBy(r => r.Year)).Select(r => (dataset, r.Year, r.School));

    /// <summary>
    /// The year-bound rows a lock covers: entity → its dataset and the property naming its unit. (A pupil's or staff
    /// member's own record and a form's values are checked apart, below.) A test walks every entity with a year and a
    /// school or township, so a new one is either here or exempted with a reason.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, (CollectionDataset Dataset, string Unit)> Covered = new Dictionary<Type, (CollectionDataset, string)>
    {
        [typeof(Enrollment)] = (CollectionDataset.Students, nameof(Enrollment.SchoolId)),
        [typeof(ClassRoom)] = (CollectionDataset.Classes, nameof(ClassRoom.SchoolId)),
        [typeof(StaffAssignment)] = (CollectionDataset.Staff, nameof(StaffAssignment.SchoolId)),
        [typeof(TeachingAssignment)] = (CollectionDataset.Staff, nameof(TeachingAssignment.SchoolId)),
        [typeof(SchoolCondition)] = (CollectionDataset.Conditions, nameof(SchoolCondition.SchoolId)),
        [typeof(HistoricalEnrollment)] = (CollectionDataset.History, nameof(HistoricalEnrollment.SchoolId)),
        [typeof(PopulationCount)] = (CollectionDataset.Population, nameof(PopulationCount.TownshipId)),
    };

    /// <summary>What one changed row writes: its dataset, year and unit, before and after the change.</summary>
    private static IEnumerable<(CollectionDataset Dataset, int Year, int Unit)> Targets(EntityEntry e)
    {
        if (!Covered.TryGetValue(e.Metadata.ClrType, out var k)) yield break;
        if (e.State != EntityState.Added)
            yield return (k.Item1, (int)e.Property("Year").OriginalValue!, (int)e.Property(k.Unit).OriginalValue!);
        if (e.State != EntityState.Deleted)
            yield return (k.Item1, (int)e.Property("Year").CurrentValue!, (int)e.Property(k.Unit).CurrentValue!);
    }

    /// <summary>The save check: throws with the reason when a changed row (or a pupil's or staff member's own record, by their current school and year) is locked.</summary>
    internal static async Task CheckAsync(EduDbContext db, List<EntityEntry> changed, CancellationToken ct)
    {
        var targets = changed.SelectMany(Targets).ToList();
        // A form's values are locked with their own round (two forms of one year are two rounds).
        var formRows = changed.Where(e => e.Entity is FormValue)
            .Select(e => ((int)e.Property(nameof(FormValue.RoundId)).OriginalValue!, (int)e.Property(nameof(FormValue.SchoolId)).OriginalValue!))
            .Distinct().ToList();
        if (formRows.Count > 0)
        {
            var rounds = formRows.Select(k => k.Item1).Distinct().ToList();
            var locked = await db.Set<Submission>().CountyWide().Where(s => s.State == SubmissionState.Locked && rounds.Contains(s.RoundId))
                .Select(s => new { s.RoundId, s.UnitId, s.Round.Title, Unit = s.Unit.Name }).ToListAsync(ct);
            if (locked.FirstOrDefault(l => formRows.Contains((l.RoundId, l.UnitId))) is { } hit)
                throw new ScopeViolationException($"{hit.Unit}的自定义报表已在填报任务“{hit.Title}”中锁定，不能修改；如需更正，请教育局解锁并填写原因");
        }
        // A pupil's or staff member's own record belongs to the roster of their latest year at their current school.
        var students = changed.Where(e => e.State != EntityState.Added && e.Entity is Student).Select(e => ((Student)e.Entity).Id).ToList();
        var staff = changed.Where(e => e.State != EntityState.Added && e.Entity is StaffMember).Select(e => ((StaffMember)e.Entity).Id).ToList();
        if (targets.Count == 0 && students.Count == 0 && staff.Count == 0) return;
        if (!await db.Set<Submission>().CountyWide().AnyAsync(s => s.State == SubmissionState.Locked, ct)) return;

        if (students.Count > 0)
            targets.AddRange(Latest(await db.Enrollments.CountyWide().Where(x => students.Contains(x.StudentId))
                .Select(x => new ValueTuple<long, int, int>(x.StudentId, x.Year, x.SchoolId)).ToListAsync(ct), CollectionDataset.Students));
        if (staff.Count > 0)
            targets.AddRange(Latest(await db.StaffAssignments.CountyWide().Where(x => staff.Contains(x.StaffId))
                .Select(x => new ValueTuple<long, int, int>(x.StaffId, x.Year, x.SchoolId)).ToListAsync(ct), CollectionDataset.Staff));

        var locks = await LoadAsync(db, targets.Select(t => t.Dataset).Distinct().ToList(), targets.Select(t => t.Year).Distinct().ToList(), ct);
        foreach (var t in targets)
            if (locks.FirstOrDefault(l => l.Dataset == t.Dataset && l.Year == t.Year && l.UnitId == t.Unit) is { } hit)
            {
                var name = await db.OrgUnits.CountyWide().Where(u => u.Id == hit.UnitId).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? "";
                throw new ScopeViolationException(Refusal(name, hit));
            }
    }
}
