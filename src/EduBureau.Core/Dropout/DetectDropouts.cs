using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Dropout;

/// <summary>What became of a detected suspect or child: still to check, confirmed as a case, or dismissed.</summary>
public enum SuspectState
{
    Open = 1,
    Confirmed = 2,
    Dismissed = 3,
}

public sealed record SuspectRow(long StudentId, string StudentNo, string Name, string? IdNumber, int SchoolId, string School,
    int TownshipId, string Township, Grade LastGrade, SuspectReason Reason, string? ReceivingSchool,
    SuspectState State, long? CaseId, string? DismissReason);

public sealed record NotEnrolledRow(string IdNumber, string Name, Gender Gender, DateOnly BirthDate, int Age, string Township, int? TownshipId,
    string? Village, string? Guardian, string? Phone, bool PovertyHousehold, bool EverEnrolled, string? Note, SuspectState State, long? CaseId, long EntryId = 0);

public sealed record DetectionResult(int Year, IReadOnlyList<SuspectRow> Suspects, IReadOnlyList<NotEnrolledRow> NotEnrolled, bool RegisterLoaded);

/// <summary>
/// The detection of the whole database with the paths of the schools and townships its rows name, so it can be stored
/// once (<see cref="DetectDropouts.Stored"/>) and cut to each reader's unit (<see cref="Within"/>).
/// </summary>
public sealed record DetectionFigure(DetectionResult All, IReadOnlyDictionary<int, string> SchoolPaths, IReadOnlyDictionary<int, string> TownshipPaths)
{
    /// <summary>
    /// The rows <paramref name="scope"/> sees: a school its own suspects, a township its schools' suspects and its own
    /// register children; bureau-wide users everything.
    /// </summary>
    public DetectionResult Within(Security.UserScope scope)
    {
        if (scope.IsUnrestricted) return All;
        return All with
        {
            Suspects = All.Suspects.Where(r => SchoolPaths.TryGetValue(r.SchoolId, out var p) && scope.Covers(p)).ToList(),
            // Register children belong to their township: a school does not see them.
            NotEnrolled = All.NotEnrolled.Where(r => r.TownshipId is int t && TownshipPaths.TryGetValue(t, out var p) && scope.Covers(p)).ToList(),
        };
    }
}

/// <summary>
/// Loads the county's enrollment of Y−1 and Y and runs <see cref="DropoutDetection"/>. Detection always looks at the whole
/// county (a transfer is only "not received" if no school anywhere enrolled the pupil); the rows returned are then narrowed
/// to the caller's scope: a school sees its own suspects, a township its schools' suspects and its own register children.
/// </summary>
public static class DetectDropouts
{
    /// <summary>The detection of a school year, stored once per change of the data (ADR 0012).</summary>
    public static readonly Figures.FigureKind<DetectionFigure> Stored = new("dropout-detection", "控辍保学疑似名单",
        (db, year, ct) => ComputeAsync(db, year, null, ct));

    /// <summary>The stored detection of <paramref name="year"/> as <paramref name="db"/>'s scope sees it.</summary>
    public static async Task<Figures.Figure<DetectionResult>> ForScopeAsync(Figures.FigureStore store, EduDbContext db, int year, CancellationToken ct = default)
    {
        return (await store.GetAsync(Stored, year, db, ct)).Map(f => f.Within(db.Scope));
    }

    /// <summary>Detects now (not stored) and cuts to <paramref name="db"/>'s scope; <paramref name="register"/> replaces the stored 户籍 register (a preview).</summary>
    public static async Task<DetectionResult> RunAsync(EduDbContext db, int year, IReadOnlyList<RegisterEntry>? register = null, CancellationToken ct = default) =>
        (await ComputeAsync(db, year, register, ct)).Within(db.Scope);

    /// <summary>The detection of the whole database (every query county-wide, whoever <paramref name="db"/> is for).</summary>
    public static async Task<DetectionFigure> ComputeAsync(EduDbContext db, int year, IReadOnlyList<RegisterEntry>? register = null, CancellationToken ct = default)
    {
        var years = new[] { year - 1, year };
        var enrollments = await db.Enrollments.CountyWide().Where(e => years.Contains(e.Year))
            .Select(e => new YearRecord(e.StudentId, e.Year, e.SchoolId, e.Grade, e.Status)).ToListAsync(ct);
        var pupils = await db.Students.CountyWide()
            .Where(s => s.Enrollments.Any(e => years.Contains(e.Year)))
            .Select(s => new PupilRecord(s.Id, s.StudentNo, s.Name, s.IdNumber, s.BirthDate)).ToListAsync(ct);
        var events = await db.StatusEvents.CountyWide()
            .Where(e => years.Contains(e.Year) && (e.Kind == StatusEventKind.TransferOut || e.Kind == StatusEventKind.Graduate))
            .Select(e => new EventRecord(e.StudentId, e.Year, e.Date, e.Kind, e.SchoolId, e.OtherSchoolId)).ToListAsync(ct);
        var suspects = DropoutDetection.FindSuspects(year, pupils, enrollments, events);

        var schools = await db.Schools.CountyWide()
            .Select(s => new { s.Id, s.Name, s.TownshipId, s.Path }).ToDictionaryAsync(s => s.Id, ct);
        var townships = await db.OrgUnits.CountyWide().Where(u => u.Kind == OrgUnitKind.Township)
            .Select(u => new { u.Id, u.Name, u.Path }).ToDictionaryAsync(u => u.Id, ct);
        var cases = await db.Set<DropoutCase>().CountyWide()
            .Select(c => new { c.Id, c.Year, c.StudentId, c.IdNumber, c.Status, c.Closing }).ToListAsync(ct);
        var dismissals = await db.Set<SuspectDismissal>().CountyWide().Where(d => d.Year == year)
            .Select(d => new { d.StudentId, d.Reason }).ToDictionaryAsync(d => d.StudentId, d => d.Reason, ct);
        // A case opened for this pupil in this year, still open from an earlier year, or closed as 送教上门/免缓学 (the pupil
        // keeps 学籍状态 辍学 while taught at home or exempted) is the confirmation.
        var caseByStudent = cases.Where(c => c.StudentId is not null && (c.Year == year || c.Status == CaseStatus.Open
                || c.Closing is CaseClosing.HomeTeaching or CaseClosing.Exempted))
            .GroupBy(c => c.StudentId!.Value).ToDictionary(g => g.Key, g => g.Max(c => c.Id));
        var caseById = cases.Where(c => c.IdNumber is not null && (c.Year == year || c.Status == CaseStatus.Open))
            .GroupBy(c => DropoutDetection.Normalize(c.IdNumber)).ToDictionary(g => g.Key, g => g.Max(c => c.Id));

        string SchoolName(int id) => schools.TryGetValue(id, out var s) ? s.Name : $"#{id}";
        var suspectRows = new List<SuspectRow>();
        foreach (var s in suspects)
        {
            var school = schools.GetValueOrDefault(s.SchoolId);
            if (school is null) continue;
            var township = townships.GetValueOrDefault(school.TownshipId);
            var state = caseByStudent.TryGetValue(s.StudentId, out var caseId) ? SuspectState.Confirmed
                : dismissals.ContainsKey(s.StudentId) ? SuspectState.Dismissed : SuspectState.Open;
            suspectRows.Add(new SuspectRow(s.StudentId, s.StudentNo, s.Name, s.IdNumber, s.SchoolId, school.Name, school.TownshipId,
                township?.Name ?? "", s.LastGrade, s.Reason, s.ReceivingSchoolId is int r ? SchoolName(r) : null,
                state, state == SuspectState.Confirmed ? caseId : null, dismissals.GetValueOrDefault(s.StudentId)));
        }

        var registerLoaded = register is not null;
        register ??= await db.Set<RegisterEntry>().AsNoTracking().Where(e => e.Year == year).ToListAsync(ct);
        registerLoaded |= register.Count > 0;
        var notEnrolledRows = new List<NotEnrolledRow>();
        if (register.Count > 0)
        {
            var ids = await db.Students.CountyWide().Where(s => s.IdNumber != null)
                .Select(s => new
                {
                    s.IdNumber,
                    InSchool = s.Enrollments.Any(e => e.Year == year && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended)),
                }).ToListAsync(ct);
            var inSchool = ids.Where(i => i.InSchool).Select(i => DropoutDetection.Normalize(i.IdNumber)).ToHashSet();
            var ever = ids.Select(i => DropoutDetection.Normalize(i.IdNumber)).ToHashSet();
            var exempted = cases.Where(c => c.Closing == CaseClosing.Exempted && c.IdNumber is not null)
                .Select(c => DropoutDetection.Normalize(c.IdNumber)).ToHashSet();
            var suspectIds = suspects.Where(s => s.IdNumber is not null).Select(s => DropoutDetection.Normalize(s.IdNumber)).ToHashSet();
            foreach (var c in DropoutDetection.FindNotEnrolled(year, register, inSchool, ever, exempted, suspectIds))
            {
                var e = c.Entry;
                var township = e.TownshipId is int t ? townships.GetValueOrDefault(t) : null;
                var state = caseById.TryGetValue(DropoutDetection.Normalize(e.IdNumber), out var caseId) ? SuspectState.Confirmed : SuspectState.Open;
                notEnrolledRows.Add(new NotEnrolledRow(e.IdNumber, e.Name, e.Gender, e.BirthDate, c.Age, e.Township, e.TownshipId, e.Village,
                    e.Guardian, e.Phone, e.PovertyHousehold, c.EverEnrolled, c.Note, state, state == SuspectState.Confirmed ? caseId : null, e.Id));
            }
        }
        return new DetectionFigure(new DetectionResult(year,
            suspectRows.OrderBy(r => r.Reason.Rank()).ThenBy(r => r.Township, StringComparer.Ordinal).ThenBy(r => r.School, StringComparer.Ordinal).ThenBy(r => r.StudentNo, StringComparer.Ordinal).ToList(),
            notEnrolledRows.OrderBy(r => r.Township, StringComparer.Ordinal).ThenBy(r => r.IdNumber, StringComparer.Ordinal).ToList(),
            registerLoaded),
            schools.ToDictionary(s => s.Key, s => s.Value.Path), townships.ToDictionary(t => t.Key, t => t.Value.Path));
    }
}
