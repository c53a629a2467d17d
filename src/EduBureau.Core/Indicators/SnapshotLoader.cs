using EduBureau.Core.Students;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Indicators;

/// <summary>
/// Builds an <see cref="IndicatorSnapshot"/> for a school year from the database, within the context's scope
/// (the context's filters do the scoping). Everything is grouped and counted in SQL: no entity is materialised,
/// so a city of a million pupils loads as a few thousand rows.
/// </summary>
public static class SnapshotLoader
{
    public static async Task<IndicatorSnapshot> LoadAsync(EduDbContext db, int year, CancellationToken ct = default)
    {
        var schools = await db.Schools.AsNoTracking()
            .Select(s => new { s.Id, s.Code, s.Name, s.Level, s.Ownership, s.Inclusive, s.UrbanRural, s.TownshipId, s.CountyId, s.ParentSchoolId, s.Path })
            .ToListAsync(ct);
        var members = await db.SchoolGroupMembers.AsNoTracking().Select(m => new { m.GroupId, m.SchoolId }).ToListAsync(ct);
        var groupIds = members.Select(m => m.GroupId).Distinct().ToList();
        var groups = await db.SchoolGroups.AsNoTracking().Where(g => groupIds.Contains(g.Id))
            .Select(g => new NamedUnit(g.Id, g.Name, g.OrgUnitId)).ToListAsync(ct);
        var byGroup = members.ToLookup(m => m.SchoolId, m => m.GroupId);

        // Townships and counties of the schools in scope are named even when the scope is below them (a school user).
        var townshipIds = schools.Select(s => s.TownshipId).Distinct().ToList();
        var scopedTownships = await db.OrgUnits.AsNoTracking().Where(u => u.Kind == OrgUnitKind.Township).Select(u => u.Id).ToListAsync(ct);
        townshipIds = townshipIds.Union(scopedTownships).ToList();
        var townships = await db.OrgUnits.CountyWide().Where(u => townshipIds.Contains(u.Id))
            .Select(u => new NamedUnit(u.Id, u.Name, u.ParentId)).ToListAsync(ct);
        var countyIds = schools.Select(s => s.CountyId).Union(townships.Where(t => t.ParentId != null).Select(t => t.ParentId!.Value)).Distinct().ToList();
        var counties = await db.OrgUnits.CountyWide().Where(u => countyIds.Contains(u.Id) && u.Kind == OrgUnitKind.County)
            .Select(u => new NamedUnit(u.Id, u.Name, u.ParentId)).ToListAsync(ct);

        // One pass over the year's enrollments: 在校 pupils per school, grade and class.
        var perClass = await db.Enrollments.AsNoTracking().InSchool(year)
            .GroupBy(e => new { e.SchoolId, e.Grade, e.ClassId })
            .Select(g => new { g.Key.SchoolId, g.Key.Grade, g.Key.ClassId, Count = g.Count() })
            .ToListAsync(ct);
        var pupils = perClass.GroupBy(x => (x.SchoolId, x.Grade)).Select(g => new GradeCount(g.Key.SchoolId, g.Key.Grade, g.Sum(x => x.Count))).ToList();
        var classes = ClassSizes(perClass.Select(x => (x.SchoolId, x.Grade, x.ClassId, x.Count)));

        var countDate = new DateOnly(year, 9, 1);
        DisabilityType[] three = [DisabilityType.Visual, DisabilityType.Hearing, DisabilityType.Speech, DisabilityType.Intellectual];
        var disabled = (await db.Enrollments.AsNoTracking().InSchool(year)
                .Where(e => three.Contains(e.Student.Disability))
                .Select(e => new { e.SchoolId, e.Grade, e.Student.Disability, e.HomeSchooling, e.Student.BirthDate })
                .ToListAsync(ct))
            .Select(x => new DisabledPupil(x.SchoolId, x.Grade, x.Disability, x.HomeSchooling, Organization.SchoolYear.AgeOn(x.BirthDate, countDate)))
            .ToList();

        var classRooms = await db.Classes.AsNoTracking().Where(c => c.Year == year)
            .GroupBy(c => c.SchoolId).Select(g => new SchoolCount(g.Key, g.Count())).ToListAsync(ct);

        var staff = await db.StaffAssignments.AsNoTracking().Where(a => a.Year == year)
            .GroupBy(a => new { a.SchoolId, a.Staff.Post, a.Staff.Education, a.Staff.Subject, a.Staff.Backbone, a.Staff.PreschoolMajor })
            .Select(g => new StaffCount(g.Key.SchoolId, g.Key.Post, g.Key.Education, g.Key.Subject, g.Key.Backbone, g.Key.PreschoolMajor, g.Count()))
            .ToListAsync(ct);

        var conditions = await db.SchoolConditions.AsNoTracking().Where(c => c.Year == year)
            .Select(c => new ConditionFacts(c.SchoolId, c.TeachingArea, c.SportsArea, c.EquipmentValue, c.MultimediaRooms))
            .ToListAsync(ct);

        // Paths let a stored snapshot of the whole database be cut to a user's unit exactly as these scoped queries would.
        var units = await db.OrgUnits.AsNoTracking().Select(u => new { u.Id, u.Path, u.Kind }).ToListAsync(ct);

        var population = await db.Population.AsNoTracking().Where(p => p.Year == year)
            .Select(p => new PopulationFacts(p.TownshipId, p.Age, p.Count, p.DisabledCount))
            .ToListAsync(ct);

        return new IndicatorSnapshot
        {
            Year = year,
            Schools = schools.Select(s => new SchoolFacts(s.Id, s.Code, s.Name, s.Level, s.Ownership, s.Inclusive, s.UrbanRural,
                s.TownshipId, s.CountyId, s.ParentSchoolId, byGroup[s.Id].ToList())).ToList(),
            Counties = counties,
            Townships = townships,
            Groups = groups,
            Pupils = pupils,
            Classes = classes,
            ClassRooms = classRooms,
            DisabledPupils = disabled,
            Staff = staff,
            Conditions = conditions,
            Population = population,
            BaseYear = await LoadBaseYearAsync(db, year - 8, ct),
            SchoolPaths = schools.ToDictionary(s => s.Id, s => s.Path),
            UnitPaths = units.ToDictionary(u => u.Id, u => u.Path),
            TownshipUnitIds = units.Where(u => u.Kind == OrgUnitKind.Township).Select(u => u.Id).ToList(),
            // The bureau's definitions are county-wide facts, not data of a unit: every reader computes the same formulas.
            Custom = (await db.Set<CustomIndicator>().AsNoTracking().OrderBy(c => c.Code).ToListAsync(ct)).Select(c => c.Facts()).ToList(),
            FormValues = await Collection.Forms.FactsAsync(db, year, ct),
        };
    }

    /// <summary>
    /// Class sizes from 在校 counts per school, grade and class: a class's grade is the grade most of its pupils are in
    /// (复式班 mix grades); pupils without a class count in no class.
    /// </summary>
    public static List<ClassSize> ClassSizes(IEnumerable<(int SchoolId, Grade Grade, int? ClassId, int Count)> perClass) =>
        [.. perClass.Where(x => x.ClassId != null).GroupBy(x => x.ClassId!.Value)
            .Select(g => new ClassSize(g.First().SchoolId, g.Key, g.MaxBy(x => x.Count).Grade, g.Sum(x => x.Count)))];

    /// <summary>
    /// Grade-1 在校 counts of <paramref name="baseYear"/> per school: from the rosters where that school has them,
    /// otherwise from 历年在校生. Null when neither source has the year at all.
    /// </summary>
    public static async Task<IReadOnlyList<BaseYearCount>?> LoadBaseYearAsync(EduDbContext db, int baseYear, CancellationToken ct = default)
    {
        var roster = await db.Enrollments.AsNoTracking().InSchool(baseYear).Where(e => e.Grade == Grade.G1)
            .GroupBy(e => e.SchoolId).Select(g => new { SchoolId = g.Key, Count = g.Count() }).ToListAsync(ct);
        var history = await db.HistoricalEnrollments.AsNoTracking()
            .Where(h => h.Year == baseYear && h.Grade == Grade.G1)
            .Select(h => new { h.SchoolId, h.Enrolled }).ToListAsync(ct);
        if (roster.Count == 0 && history.Count == 0) return null;
        var fromRoster = roster.Select(r => new BaseYearCount(r.SchoolId, r.Count, "学籍")).ToList();
        var have = fromRoster.Select(r => r.SchoolId).ToHashSet();
        fromRoster.AddRange(history.Where(h => !have.Contains(h.SchoolId)).Select(h => new BaseYearCount(h.SchoolId, h.Enrolled, "历年在校生")));
        return fromRoster;
    }

    /// <summary>School years that have enrollments (for trends), oldest first.</summary>
    public static async Task<IReadOnlyList<int>> YearsAsync(EduDbContext db, CancellationToken ct = default) =>
        await db.SchoolYears.AsNoTracking().OrderBy(y => y.Year).Select(y => y.Year).ToListAsync(ct);
}
