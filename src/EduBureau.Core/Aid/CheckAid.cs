using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Aid;

public sealed record AidIssueRow(AidIssueKind Kind, string StudentNo, string Name, string School, string Township, string Program, int Year, int Term,
    decimal Paid, decimal Expected, int Payments, IReadOnlyList<int> SchoolIds, int TownshipId)
{
    /// <summary>Names of the schools concerned that the caller's scope covers (a duplicate after a transfer counts for both schools).</summary>
    public IReadOnlyList<string> ScopeSchools { get; init; } = [];
    /// <summary>Names of the townships of <see cref="ScopeSchools"/>, each once.</summary>
    public IReadOnlyList<string> ScopeTownships { get; init; } = [];
}

/// <summary>
/// Runs <see cref="AidChecks"/> on the database for a school year. Payments and enrollments of the whole county are read (a pupil
/// paid by two schools after a transfer is one duplicate); findings are then narrowed to those touching a school in the caller's scope.
/// </summary>
public static class CheckAid
{
    public static async Task<IReadOnlyList<AidIssueRow>> RunAsync(EduDbContext db, int year, IReadOnlyCollection<int>? terms = null, CancellationToken ct = default)
    {
        var programs = await db.Set<AidProgram>().AsNoTracking().ToListAsync(ct);
        var enrollments = await db.Enrollments.CountyWide().Where(e => e.Year == year)
            .Select(e => new
            {
                e.Id, e.StudentId, e.Student.StudentNo, e.Student.Name, e.SchoolId, e.Grade, e.Status, e.Boarding,
                e.PovertyRegistered, e.SubsistenceAllowance, e.ExtremePoverty, e.Orphan, e.Student.Disability,
            }).ToListAsync(ct);
        // One record per pupil: the in-school enrollment when a transfer left two.
        var pupils = enrollments.GroupBy(e => e.StudentId)
            .Select(g => g.OrderByDescending(e => e.Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended).ThenByDescending(e => e.Id).First())
            .Select(e => new AidPupil(e.StudentId, e.StudentNo, e.Name, e.SchoolId, e.Grade, e.Status, e.Boarding,
                AidChecks.CategoriesOf(e.PovertyRegistered, e.SubsistenceAllowance, e.ExtremePoverty, e.Orphan, e.Disability)))
            .ToList();
        var payments = await db.Set<AidDisbursement>().CountyWide().Where(d => d.Year == year)
            .Select(d => new AidPayment(d.StudentNo, d.Name, d.SchoolId, d.ProgramId, d.Year, d.Term, d.Amount, d.SourceRow)).ToListAsync(ct);
        var issues = AidChecks.Check(year, terms, programs, pupils, payments);

        var schools = await db.Schools.CountyWide().Select(s => new { s.Id, s.Name, s.TownshipId, s.Path }).ToDictionaryAsync(s => s.Id, ct);
        var townships = await db.OrgUnits.CountyWide().Where(u => u.Kind == OrgUnitKind.Township)
            .ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var programNames = programs.ToDictionary(p => p.Id, p => p.Name);
        var rows = new List<AidIssueRow>();
        foreach (var i in issues)
        {
            var inScope = i.SchoolIds.Select(id => schools.GetValueOrDefault(id)).Where(s => s is not null && db.Scope.Covers(s.Path)).Select(s => s!).ToList();
            if (inScope.Count == 0) continue;
            var first = schools.GetValueOrDefault(i.SchoolIds[0]);
            rows.Add(new AidIssueRow(i.Kind, i.StudentNo, i.Name,
                string.Join("、", i.SchoolIds.Select(id => schools.TryGetValue(id, out var s) ? s.Name : $"#{id}")),
                first is null ? "" : townships.GetValueOrDefault(first.TownshipId, ""), programNames.GetValueOrDefault(i.ProgramId, ""),
                i.Year, i.Term, i.Paid, i.Expected, i.Payments, i.SchoolIds, first?.TownshipId ?? 0)
            {
                ScopeSchools = inScope.Select(s => s.Name).ToList(),
                ScopeTownships = inScope.Select(s => townships.GetValueOrDefault(s.TownshipId, "")).Distinct().ToList(),
            });
        }
        return rows;
    }

    /// <summary>Counts of findings per unit name and kind, a finding counted once for each unit it concerns.</summary>
    public static IReadOnlyList<(string Unit, IReadOnlyDictionary<AidIssueKind, int> Counts)> CountBy(IEnumerable<AidIssueRow> rows,
        Func<AidIssueRow, IEnumerable<string>> units) =>
        rows.SelectMany(r => units(r).Select(u => (Unit: u, r.Kind)))
            .GroupBy(x => x.Unit)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyDictionary<AidIssueKind, int>)g.GroupBy(x => x.Kind).ToDictionary(k => k.Key, k => k.Count())))
            .ToList();

    public static string Code(this AidIssueKind k) => k switch
    {
        AidIssueKind.Missed => "missed", AidIssueKind.Ineligible => "ineligible", AidIssueKind.Duplicate => "duplicate",
        AidIssueKind.WrongAmount => "wrongAmount", AidIssueKind.NotInSchool => "notInSchool", _ => k.ToString(),
    };

    public static string Zh(this AidIssueKind k) => k switch
    {
        AidIssueKind.Missed => "漏助（符合条件未发放）", AidIssueKind.Ineligible => "不符合条件却发放", AidIssueKind.Duplicate => "同一学期重复发放",
        AidIssueKind.WrongAmount => "金额与标准不符", AidIssueKind.NotInSchool => "发放给不在校学生", _ => k.ToString(),
    };
}
