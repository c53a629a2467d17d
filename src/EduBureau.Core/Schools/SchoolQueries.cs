using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Schools;

/// <summary>A school as lists show it, with its head counts for one school year (在校 = 在读 or 休学).</summary>
public sealed class SchoolRow
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public SchoolLevel Level { get; init; }
    public Ownership Ownership { get; init; }
    public bool Inclusive { get; init; }
    public int TownshipId { get; init; }
    public string Township { get; init; } = "";
    public UrbanRural UrbanRural { get; init; }
    public bool Boarding { get; init; }
    public int Classes { get; init; }
    public int Students { get; init; }
    public int Staff { get; init; }
}

public sealed record ClassRow(int Id, Grade Grade, string Name, int Size)
{
    /// <summary>docs/domain.md 班额 bands (<see cref="ClassSizeBand"/>): 56–65 大班额, 66+ 超大班额.</summary>
    public string? SizeBand => ClassSizeBand.Band(Size);
}

/// <summary>Read models for the school list and detail; the context has already narrowed them to the caller's scope.</summary>
public static class SchoolQueries
{
    public static IQueryable<SchoolRow> Rows(EduDbContext db, int year) =>
        db.Schools.Select(s => new SchoolRow
        {
            Id = s.Id, Code = s.Code, Name = s.Name, Level = s.Level, Ownership = s.Ownership, Inclusive = s.Inclusive,
            TownshipId = s.TownshipId,
            Township = db.OrgUnits.Where(u => u.Id == s.TownshipId).Select(u => u.Name).FirstOrDefault() ?? "",
            UrbanRural = s.UrbanRural, Boarding = s.Boarding,
            Classes = db.Classes.Count(c => c.SchoolId == s.Id && c.Year == year),
            Students = db.Enrollments.Count(e => e.SchoolId == s.Id && e.Year == year
                && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended)),
            Staff = db.StaffAssignments.Count(a => a.SchoolId == s.Id && a.Year == year),
        });

    public static async Task<List<ClassRow>> ClassesAsync(EduDbContext db, int schoolId, int year, CancellationToken ct = default)
    {
        var rows = await db.Classes.Where(c => c.SchoolId == schoolId && c.Year == year)
            .Select(c => new
            {
                c.Id, c.Grade, c.Name,
                Size = db.Enrollments.Count(e => e.ClassId == c.Id && e.Year == year
                    && (e.Status == EnrollmentStatus.InSchool || e.Status == EnrollmentStatus.Suspended)),
            })
            .ToListAsync(ct);
        return rows.Select(r => new ClassRow(r.Id, r.Grade, r.Name, r.Size))
            .OrderBy(r => r.Grade).ThenBy(r => r.Name.Length).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    public static Task<List<OrgUnit>> TownshipsAsync(EduDbContext db, CancellationToken ct = default) =>
        db.OrgUnits.Where(u => u.Kind == OrgUnitKind.Township).OrderBy(u => u.Name).ToListAsync(ct);
}
