using System.Globalization;
using EduBureau.Core.Audit;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Imports;

/// <summary>
/// Writes a roster as .xlsx with the template's headers, streaming rows from the database, so that export → import
/// round-trips. Rows follow the context's scope; 身份证件号 and 学籍号 go through <see cref="UserScope.ShowIdNumber"/> and
/// <see cref="UserScope.ShowStudentNo"/> (masked for roles that do not need them: a 全国学籍号 is "G" + the 身份证件号), and
/// an export of personal data (学生, 教职工, 任课) writes one audit line: who, what, scope, row count.
/// </summary>
public static class ExportRoster
{
    public static async Task<int> WriteAsync(EduDbContext db, ImportEntity entity, int year, Stream output, string? schoolCode = null,
        CancellationToken ct = default)
    {
        // Masking comes from the context's own scope, so no caller can forget the 学籍号 (or pass the wrong helper).
        var scope = db.Scope;
        var t = Template.For(entity);
        using var w = new XlsxWriter(output);
        w.StartSheet(t.Name, [.. t.Columns.Select(c => c.Width)], [.. t.Columns.Select((c, i) => (c, i)).Where(x => x.c.Text).Select(x => x.i)]);
        w.WriteRow([.. t.Columns.Select(c => c.Header)], bold: true);
        var n = 0;
        await foreach (var row in Rows(db, entity, year, schoolCode, scope).WithCancellation(ct))
        {
            w.WriteRow(row);
            n++;
        }
        if (entity is ImportEntity.Students or ImportEntity.Staff or ImportEntity.Teaching)
            await db.AuditExportAsync(t.Name, year.ToString(CultureInfo.InvariantCulture), n, schoolCode is null ? null : "学校 " + schoolCode, ct);
        return n;
    }

    private static string Yn(bool b) => b ? "是" : "否";
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string? N(double? v) => v?.ToString("R", CultureInfo.InvariantCulture);
    private static string? I(int? v) => v?.ToString(CultureInfo.InvariantCulture);

    private static async IAsyncEnumerable<string?[]> Rows(EduDbContext db, ImportEntity entity, int year, string? school, UserScope scope)
    {
        switch (entity)
        {
            case ImportEntity.Schools:
            {
                var schools = db.Schools.AsNoTracking().Where(s => school == null || s.Code == school).OrderBy(s => s.Code);
                var units = await db.OrgUnits.CountyWide()
                    .Where(u => u.Kind == OrgUnitKind.County || u.Kind == OrgUnitKind.Township).ToDictionaryAsync(u => u.Id, u => u.Name);
                var groups = await (from m in db.SchoolGroupMembers.AsNoTracking()
                                    join g in db.SchoolGroups.AsNoTracking() on m.GroupId equals g.Id
                                    select new { m.SchoolId, g.Kind, g.Name }).ToListAsync();
                var codes = await db.Schools.CountyWide().ToDictionaryAsync(s => s.Id, s => s.Code);
                var multiCounty = units.Count > 0 && await db.OrgUnits.CountyWide().CountAsync(u => u.Kind == OrgUnitKind.County) > 1;
                await foreach (var s in schools.AsAsyncEnumerable())
                    yield return
                    [
                        s.Code, s.Name, s.Level.Zh(), s.Ownership.Zh(), s.Level == SchoolLevel.Kindergarten ? Yn(s.Inclusive) : null,
                        multiCounty ? units.GetValueOrDefault(s.CountyId) : null, units.GetValueOrDefault(s.TownshipId), s.UrbanRural.Zh(), Yn(s.Boarding),
                        groups.FirstOrDefault(g => g.SchoolId == s.Id && g.Kind == SchoolGroupKind.District)?.Name,
                        groups.FirstOrDefault(g => g.SchoolId == s.Id && g.Kind == SchoolGroupKind.Group)?.Name,
                        s.ParentSchoolId is { } p ? codes.GetValueOrDefault(p) : null,
                    ];
                break;
            }
            case ImportEntity.Students:
            {
                var q = db.Enrollments.AsNoTracking().Where(e => e.Year == year && (school == null || e.School.Code == school))
                    .OrderBy(e => e.School.Code).ThenBy(e => e.Grade).ThenBy(e => e.Class!.Name).ThenBy(e => e.Student.StudentNo)
                    .Select(e => new
                    {
                        e.Student.StudentNo, e.Student.Name, e.Student.Gender, e.Student.BirthDate, e.Student.IdNumber, e.Student.Ethnicity,
                        SchoolCode = e.School.Code, e.Grade, ClassName = e.Class!.Name, e.Student.EntryYearMonth, e.Boarding, e.PovertyRegistered,
                        e.SubsistenceAllowance, e.ExtremePoverty, e.Orphan, e.LeftBehind, e.Migrant, e.Student.Disability, e.HomeSchooling,
                        e.Student.HouseholdTownship, e.Status,
                    });
                await foreach (var e in q.AsAsyncEnumerable())
                    yield return
                    [
                        scope.ShowStudentNo(e.StudentNo), e.Name, e.Gender.Zh(), D(e.BirthDate), e.IdNumber is null ? null : scope.ShowIdNumber(e.IdNumber), e.Ethnicity, e.SchoolCode,
                        e.Grade.Zh(), e.ClassName, e.EntryYearMonth, e.Boarding.Zh(), Yn(e.PovertyRegistered), Yn(e.SubsistenceAllowance),
                        Yn(e.ExtremePoverty), Yn(e.Orphan), Yn(e.LeftBehind), Yn(e.Migrant), e.Disability.Zh(), Yn(e.HomeSchooling),
                        e.HouseholdTownship, e.Status.Zh(),
                    ];
                break;
            }
            case ImportEntity.Staff:
            {
                var q = db.StaffAssignments.AsNoTracking().Where(a => a.Year == year && (school == null || a.School.Code == school))
                    .OrderBy(a => a.School.Code).ThenBy(a => a.Staff.StaffNo)
                    .Select(a => new { a.Staff, SchoolCode = a.School.Code });
                await foreach (var x in q.AsAsyncEnumerable())
                {
                    var s = x.Staff;
                    yield return
                    [
                        s.StaffNo, s.Name, s.Gender.Zh(), D(s.BirthDate), s.IdNumber is null ? null : scope.ShowIdNumber(s.IdNumber), x.SchoolCode, s.Post.Zh(),
                        s.Subject, s.Education.Zh(), Yn(s.PreschoolMajor), s.Title.Zh(), s.Backbone.Zh(), s.Honors, s.WorkStart,
                        s.Established ? "在编" : "非在编",
                    ];
                }
                break;
            }
            case ImportEntity.Conditions:
            {
                var q = db.SchoolConditions.AsNoTracking().Where(c => c.Year == year && (school == null || c.School.Code == school))
                    .OrderBy(c => c.School.Code).Select(c => new { c, c.School.Code });
                await foreach (var x in q.AsAsyncEnumerable())
                    yield return
                    [
                        x.Code, I(x.c.Year), N(x.c.BuildingArea), N(x.c.TeachingArea), N(x.c.SportsArea), N(x.c.EquipmentValue),
                        I(x.c.MultimediaRooms), I(x.c.Books), I(x.c.Computers),
                    ];
                break;
            }
            case ImportEntity.Population:
            {
                var q = db.Population.AsNoTracking().Where(p => p.Year == year)
                    .OrderBy(p => p.Township.Name).ThenBy(p => p.Age).Select(p => new { p, Town = p.Township.Name });
                await foreach (var x in q.AsAsyncEnumerable())
                    yield return [x.Town, I(x.p.Year), I(x.p.Age), I(x.p.Count), I(x.p.DisabledCount)];
                break;
            }
            case ImportEntity.History:
            {
                // All years up to the chosen one: history is by nature about earlier years.
                var q = db.HistoricalEnrollments.AsNoTracking().Where(h => h.Year <= year && (school == null || h.School.Code == school))
                    .OrderBy(h => h.School.Code).ThenBy(h => h.Year).ThenBy(h => h.Grade).Select(h => new { h, h.School.Code });
                await foreach (var x in q.AsAsyncEnumerable())
                    yield return [x.Code, I(x.h.Year), x.h.Grade.Zh(), I(x.h.Enrolled), I(x.h.Graduates), I(x.h.NewEntrants)];
                break;
            }
            case ImportEntity.Teaching:
            {
                var q = db.TeachingAssignments.AsNoTracking().Where(t => t.Year == year && (school == null || t.School.Code == school))
                    .OrderBy(t => t.School.Code).ThenBy(t => t.Class.Grade).ThenBy(t => t.Class.Name).ThenBy(t => t.Subject)
                    .Select(t => new { t.School.Code, t.Class.Grade, Class = t.Class.Name, t.Subject, t.Staff.StaffNo, t.Staff.Name });
                await foreach (var x in q.AsAsyncEnumerable())
                    yield return [x.Code, x.Grade.Zh(), x.Class, x.Subject, x.StaffNo, x.Name];
                break;
            }
            case ImportEntity.Units:
            {
                // Parents before children; a parent is named by its code when it has one (names need not be unique).
                var units = await db.OrgUnits.AsNoTracking().Where(u => u.Kind != OrgUnitKind.School).OrderBy(u => u.Depth).ThenBy(u => u.Path)
                    .Select(u => new { u.Name, u.Kind, u.Code, u.ParentId }).ToListAsync();
                var parentIds = units.Where(u => u.ParentId != null).Select(u => u.ParentId!.Value).Distinct().ToList();
                var parents = await db.OrgUnits.CountyWide().Where(u => parentIds.Contains(u.Id))
                    .ToDictionaryAsync(u => u.Id, u => u.Code ?? u.Name);
                foreach (var u in units)
                    yield return [u.Name, u.Kind.Zh(), u.Code, u.ParentId is { } p ? parents.GetValueOrDefault(p) : null];
                break;
            }
        }
    }

    /// <summary>A blank template: header row, one sample row, drop-downs on the enumerated columns, text format on code columns.</summary>
    public static void WriteTemplate(ImportEntity entity, Stream output)
    {
        var t = Template.For(entity);
        using var w = new XlsxWriter(output);
        w.StartSheet(t.Name, [.. t.Columns.Select(c => c.Width)], [.. t.Columns.Select((c, i) => (c, i)).Where(x => x.c.Text).Select(x => x.i)]);
        w.WriteRow([.. t.Columns.Select(c => c.Required ? c.Header : c.Header)], bold: true);
        w.WriteRow([.. t.Columns.Select(c => c.Sample)]);
        for (var i = 0; i < t.Columns.Length; i++)
            if (t.Columns[i].Choices is { } choices) w.AddListValidation(i, choices);
    }
}
