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

/// <summary>A school as the findings name it.</summary>
public sealed record AidSchool(string Name, string Township, string Path);

/// <summary>The findings of the whole database and the schools they name, stored once and cut per reader (<see cref="Within"/>).</summary>
public sealed record AidFigure(IReadOnlyList<AidIssueRow> All, IReadOnlyDictionary<int, AidSchool> Schools)
{
    /// <summary>The findings touching a school in <paramref name="scope"/>, each naming the schools (and their townships) the scope covers.</summary>
    public IReadOnlyList<AidIssueRow> Within(Security.UserScope scope)
    {
        var rows = new List<AidIssueRow>();
        foreach (var r in All)
        {
            var inScope = r.SchoolIds.Select(id => Schools.GetValueOrDefault(id)).Where(s => s is not null && scope.Covers(s.Path)).Select(s => s!).ToList();
            if (inScope.Count == 0) continue;
            rows.Add(r with { ScopeSchools = inScope.Select(s => s.Name).ToList(), ScopeTownships = inScope.Select(s => s.Township).Distinct().ToList() });
        }
        return rows;
    }
}

/// <summary>
/// Runs <see cref="AidChecks"/> on the database for a school year. Payments and enrollments of the whole county are read (a pupil
/// paid by two schools after a transfer is one duplicate); findings are then narrowed to those touching a school in the caller's scope.
/// </summary>
public static class CheckAid
{
    /// <summary>The findings of a school year (both terms, 第一学期, 第二学期), stored once per change of the data (ADR 0012).</summary>
    public static readonly Figures.FigureKind<AidFigure> StoredYear = new("aid-check", "资助核查", (db, y, ct) => ComputeAsync(db, y, null, ct));
    public static readonly Figures.FigureKind<AidFigure> StoredTerm1 = new("aid-check-t1", "资助核查（第一学期）", (db, y, ct) => ComputeAsync(db, y, [1], ct));
    public static readonly Figures.FigureKind<AidFigure> StoredTerm2 = new("aid-check-t2", "资助核查（第二学期）", (db, y, ct) => ComputeAsync(db, y, [2], ct));

    /// <summary>The stored findings of <paramref name="year"/> (and <paramref name="term"/> 1 or 2, else both) as <paramref name="db"/>'s scope sees them.</summary>
    public static async Task<Figures.Figure<IReadOnlyList<AidIssueRow>>> ForScopeAsync(Figures.FigureStore store, EduDbContext db, int year, int? term,
        CancellationToken ct = default)
    {
        return (await store.GetAsync(term switch { 1 => StoredTerm1, 2 => StoredTerm2, _ => StoredYear }, year, db, ct)).Map(f => f.Within(db.Scope));
    }

    /// <summary>Checks now (not stored), cut to <paramref name="db"/>'s scope.</summary>
    public static async Task<IReadOnlyList<AidIssueRow>> RunAsync(EduDbContext db, int year, IReadOnlyCollection<int>? terms = null, CancellationToken ct = default) =>
        (await ComputeAsync(db, year, terms, ct)).Within(db.Scope);

    /// <summary>The findings of the whole database (every query county-wide, whoever <paramref name="db"/> is for).</summary>
    public static async Task<AidFigure> ComputeAsync(EduDbContext db, int year, IReadOnlyCollection<int>? terms = null, CancellationToken ct = default)
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
            var first = schools.GetValueOrDefault(i.SchoolIds[0]);
            rows.Add(new AidIssueRow(i.Kind, i.StudentNo, i.Name,
                string.Join("、", i.SchoolIds.Select(id => schools.TryGetValue(id, out var s) ? s.Name : $"#{id}")),
                first is null ? "" : townships.GetValueOrDefault(first.TownshipId, ""), programNames.GetValueOrDefault(i.ProgramId, ""),
                i.Year, i.Term, i.Paid, i.Expected, i.Payments, i.SchoolIds, first?.TownshipId ?? 0));
        }
        return new AidFigure(rows,
            schools.ToDictionary(s => s.Key, s => new AidSchool(s.Value.Name, townships.GetValueOrDefault(s.Value.TownshipId, ""), s.Value.Path)));
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
