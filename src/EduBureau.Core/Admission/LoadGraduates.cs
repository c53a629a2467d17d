using EduBureau.Core.Students;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Admission;

/// <summary>九年级 graduates per junior school from the roster (在读 or 休学 in 九年级 in the given school year).</summary>
public static class LoadGraduates
{
    public static async Task<List<JuniorSchool>> FromRosterAsync(EduDbContext db, int year, CancellationToken ct = default)
    {
        var counts = await db.Enrollments.InSchool(year).Where(e => e.Grade == Grade.G9)
            .GroupBy(e => e.SchoolId)
            .Select(g => new { SchoolId = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var ids = counts.Select(c => c.SchoolId).ToList();
        var schools = await db.Schools.Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, s.Code, s.Name, s.TownshipId, s.CountyId }).ToListAsync(ct);
        var unitIds = schools.SelectMany(s => new[] { s.TownshipId, s.CountyId }).Distinct().ToList();
        var names = await db.OrgUnits.Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var byId = counts.ToDictionary(c => c.SchoolId, c => c.Count);
        return schools
            .Select(s => new JuniorSchool(s.Code, s.Name, names.GetValueOrDefault(s.TownshipId), byId[s.Id], names.GetValueOrDefault(s.CountyId)))
            .OrderBy(j => j.Code, StringComparer.Ordinal)
            .ToList();
    }
}
