using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Quality;

/// <summary>
/// Reads the <see cref="RosterData"/> of a school year within the context's scope (its filters do the scoping, as in
/// <see cref="Indicators.SnapshotLoader"/>). Counts are grouped in SQL; pupils are read as one small row each, since
/// the age rule needs each pupil's birth date. Only the duplicate-ID check reads past the scope (ADR 0005).
/// </summary>
public static class RosterRulesLoader
{
    /// <param name="onlySchool">One school's rows only (a submission's check); its duplicates elsewhere are still found.</param>
    public static async Task<RosterData> LoadAsync(EduDbContext db, int year, CancellationToken ct = default, int? onlySchool = null)
    {
        var one = onlySchool ?? 0;
        var all = onlySchool is null;
        var schools = await db.Schools.AsNoTracking().Where(s => all || s.Id == one)
            .Select(s => new RosterSchool(s.Id, s.Name, s.Level, s.TownshipId, s.CountyId)).ToListAsync(ct);
        // Townships and counties the scope covers whole: a school user gets no township line made of its own school.
        var townships = await db.OrgUnits.AsNoTracking().Where(u => all && u.Kind == OrgUnitKind.Township)
            .Select(u => new RosterUnit(u.Id, u.Name)).ToListAsync(ct);
        var counties = await db.OrgUnits.AsNoTracking().Where(u => all && u.Kind == OrgUnitKind.County)
            .Select(u => new RosterUnit(u.Id, u.Name)).ToListAsync(ct);

        // Enrolments carry the school scope; the pupil's own filter would only repeat it.
        var pupils = (await db.Enrollments.WithoutPersonRecheck().AsNoTracking().InSchool(year).Where(e => all || e.SchoolId == one)
                .Select(e => new { e.StudentId, e.SchoolId, e.Grade, e.Status, e.Student.BirthDate, e.Student.IdNumber, e.Student.StudentNo, e.Student.Name })
                .ToListAsync(ct))
            .Select(p => new RosterPupil(p.StudentId, p.SchoolId, p.Grade, p.Status, p.BirthDate == default ? null : p.BirthDate, p.IdNumber, p.StudentNo, p.Name))
            .ToList();

        var kgLarge = await db.Enrollments.AsNoTracking().InSchool(year - 1).Where(e => e.Grade == Grade.KgLarge && (all || e.SchoolId == one))
            .GroupBy(e => e.SchoolId).Select(g => new { SchoolId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.SchoolId, x => x.Count, ct);

        var staff = await db.StaffAssignments.WithoutPersonRecheck().AsNoTracking().Where(a => a.Year == year && (all || a.SchoolId == one))
            .GroupBy(a => new { a.SchoolId, a.Staff.Post })
            .Select(g => new RosterStaff(g.Key.SchoolId, g.Key.Post, g.Count())).ToListAsync(ct);

        var conditions = await db.SchoolConditions.AsNoTracking().Where(c => c.Year == year && (all || c.SchoolId == one))
            .Select(c => new RosterCondition(c.SchoolId, c.BuildingArea, c.TeachingArea, c.SportsArea, c.EquipmentValue, c.MultimediaRooms, c.Books, c.Computers))
            .ToListAsync(ct);

        var classes = await db.Classes.AsNoTracking().Where(c => c.Year == year && (all || c.SchoolId == one))
            .GroupBy(c => c.SchoolId).Select(g => new { SchoolId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.SchoolId, x => x.Count, ct);

        var (outside, outsideNames) = await OutsideDuplicatesAsync(db, year, schools.Select(s => s.Id).ToHashSet(), ct);

        return new RosterData
        {
            Year = year,
            Schools = schools,
            Townships = townships,
            Counties = counties,
            Pupils = pupils,
            KgLargeLastYear = kgLarge,
            Staff = staff,
            Conditions = conditions,
            Classes = classes,
            OutsideIdNumbers = outside,
            OutsideSchoolNames = outsideNames,
        };
    }

    /// <summary>
    /// The other side of the duplicates that reach outside the scope: a pupil 在校 here and in a school outside the scope
    /// is a duplicate the scope alone cannot see, so the year's numbers are grouped county-wide (ADR 0005). Only the
    /// answer is read back: the numbers held by more than one school, and which schools hold them; that is narrowed to
    /// numbers a school in scope holds, and the schools outside come back as a number and a name, never as a pupil.
    /// </summary>
    private static async Task<(List<OutsideIdNumber>, Dictionary<int, string>)> OutsideDuplicatesAsync(EduDbContext db, int year,
        HashSet<int> inScope, CancellationToken ct)
    {
        // Trimmed and upper-cased as RosterRules.IdKey compares: the unique index on 身份证件号 lets "…x" and "…X" both in.
        var duplicated = await db.Enrollments.CountyWide().InSchool(year)
            .Where(e => e.Student.IdNumber != null && e.Student.IdNumber != "")
            .GroupBy(e => e.Student.IdNumber!.Trim().ToUpper())
            .Where(g => g.Min(e => e.SchoolId) != g.Max(e => e.SchoolId))
            .Select(g => g.Key)
            .ToListAsync(ct);
        if (duplicated.Count == 0) return ([], new());

        var holders = await db.Enrollments.CountyWide().InSchool(year)
            .Where(e => e.Student.IdNumber != null && duplicated.Contains(e.Student.IdNumber.Trim().ToUpper()))
            .Select(e => new { e.Student.IdNumber, e.SchoolId })
            .ToListAsync(ct);
        var heldHere = holders.Where(h => inScope.Contains(h.SchoolId)).Select(h => RosterRules.IdKey(h.IdNumber!)).ToHashSet();
        var outside = holders.Where(h => !inScope.Contains(h.SchoolId) && heldHere.Contains(RosterRules.IdKey(h.IdNumber!)))
            .Select(h => new OutsideIdNumber(h.IdNumber!, h.SchoolId)).Distinct().ToList();
        if (outside.Count == 0) return (outside, new());
        var ids = outside.Select(o => o.SchoolId).Distinct().ToList();
        // Names of schools outside the scope, for the label only.
        var names = await db.Schools.CountyWide().Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return (outside, names);
    }
}
