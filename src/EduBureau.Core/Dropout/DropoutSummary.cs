using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Dropout;

public sealed record CaseListRow(long Id, int Year, string Name, string? StudentNo, string School, int SchoolId, int TownshipId, string Township,
    string? Village, CaseSource Source, DropoutReasonCategory Reason, bool Priority, CaseStatus Status, PersuasionStep? Step,
    DateOnly OpenedOn, DateOnly? ClosedOn, CaseClosing? Closing, int DaysOpen, bool Overdue);

/// <param name="Undetected">Suspects and 失学 children found by comparison but neither confirmed nor dismissed.</param>
/// <param name="Cleared">双清零: no open case and nothing left unchecked.</param>
public sealed record TownshipStatus(int TownshipId, string Township, int Open, int Closed, int NoStep, int Step1, int Step2, int Step3,
    int Overdue, int Priority, int Undetected, bool Cleared);

/// <summary>The bureau's view of the ledger: every case in scope, counts per township and step, overdue flags, 双清零.</summary>
public static class DropoutSummary
{
    public const int DefaultOverdueDays = 30;

    public static async Task<IReadOnlyList<CaseListRow>> CasesAsync(EduDbContext db, TimeProvider clock, int overdueDays = DefaultOverdueDays, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var rows = await db.Set<DropoutCase>().AsNoTracking()
            .Select(c => new
            {
                c.Id, c.Year, c.Name, c.StudentNo, School = c.School.Name, c.SchoolId, c.TownshipId, c.Village, c.Source, c.Reason, c.Priority,
                c.Status, Step = c.Steps.Max(s => (PersuasionStep?)s.Step), c.OpenedOn, c.ClosedOn, c.Closing,
            }).ToListAsync(ct);
        var townshipIds = rows.Select(r => r.TownshipId).Distinct().ToList();
        var names = await db.OrgUnits.CountyWide().Where(u => townshipIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return rows.Select(r =>
        {
            var days = (r.Status == CaseStatus.Open ? today : r.ClosedOn ?? today).DayNumber - r.OpenedOn.DayNumber;
            return new CaseListRow(r.Id, r.Year, r.Name, r.StudentNo, r.School, r.SchoolId, r.TownshipId, names.GetValueOrDefault(r.TownshipId, ""),
                r.Village, r.Source, r.Reason, r.Priority, r.Status, r.Step, r.OpenedOn, r.ClosedOn, r.Closing, days,
                IsOverdue(r.Status, r.OpenedOn, today, overdueDays));
        }).OrderBy(r => r.Status).ThenByDescending(r => r.DaysOpen).ThenBy(r => r.Id).ToList();
    }

    /// <summary>An open case older than <paramref name="days"/> days is overdue.</summary>
    public static bool IsOverdue(CaseStatus status, DateOnly openedOn, DateOnly today, int days) =>
        status == CaseStatus.Open && today.DayNumber - openedOn.DayNumber > days;

    /// <summary>
    /// Per township: case counts by status and step, overdue and priority cases, unchecked detections and 双清零.
    /// Pure: cases and the detection result are passed in.
    /// </summary>
    public static IReadOnlyList<TownshipStatus> ByTownship(IEnumerable<CaseListRow> cases, DetectionResult detection,
        IReadOnlyDictionary<int, string> townships)
    {
        var caseList = cases.ToList();
        var result = new List<TownshipStatus>();
        foreach (var (id, name) in townships.OrderBy(t => t.Value, StringComparer.Ordinal))
        {
            var mine = caseList.Where(c => c.TownshipId == id).ToList();
            var open = mine.Where(c => c.Status == CaseStatus.Open).ToList();
            var undetected = detection.Suspects.Count(s => s.TownshipId == id && s.State == SuspectState.Open)
                + detection.NotEnrolled.Count(n => n.TownshipId == id && n.State == SuspectState.Open);
            result.Add(new TownshipStatus(id, name, open.Count, mine.Count - open.Count,
                open.Count(c => c.Step is null), open.Count(c => c.Step == PersuasionStep.Visit),
                open.Count(c => c.Step == PersuasionStep.WrittenOrder), open.Count(c => c.Step == PersuasionStep.Legal),
                open.Count(c => c.Overdue), open.Count(c => c.Priority), undetected, open.Count == 0 && undetected == 0));
        }
        return result;
    }

    /// <summary>Townships in the caller's scope (or the township containing the caller's school).</summary>
    public static async Task<IReadOnlyDictionary<int, string>> TownshipsAsync(EduDbContext db, CancellationToken ct = default)
    {
        var visible = await db.OrgUnits.AsNoTracking().Where(u => u.Kind == OrgUnitKind.Township).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        if (visible.Count > 0) return visible;
        var ids = await db.Schools.AsNoTracking().Select(s => s.TownshipId).Distinct().ToListAsync(ct);
        return await db.OrgUnits.CountyWide().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
    }
}
