using EduBureau.Core.Students;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Organization;

/// <summary>A unit of the tree with what lies under it in one school year; <see cref="Closed"/> marks a 撤销 unit (shown only on request).</summary>
public sealed record OrgNode(int Id, string Name, OrgUnitKind Kind, string Path, int Schools, int Students, int Staff, IReadOnlyList<OrgNode> Children,
    bool Closed = false);

public static class OrgTree
{
    /// <summary>
    /// The tree of units visible in the context's scope, each with its schools, pupils in school (在读 + 休学)
    /// and staff for <paramref name="year"/>, summed up the tree by path prefix. Closed (撤销) units and what lies under
    /// them are left out unless <paramref name="includeClosed"/>.
    /// </summary>
    public static async Task<IReadOnlyList<OrgNode>> BuildAsync(EduDbContext db, int year, CancellationToken ct = default, bool includeClosed = false)
    {
        var all = await db.OrgUnits.OrderBy(u => u.Path).Select(u => new { u.Id, u.Name, u.Kind, u.Path, u.ParentId, u.ClosedOn }).ToListAsync(ct);
        var closedPaths = all.Where(u => u.ClosedOn != null).Select(u => u.Path).ToList();
        bool Hidden(string path) => !includeClosed && closedPaths.Any(p => path.StartsWith(p, StringComparison.Ordinal));
        var units = all.Where(u => !Hidden(u.Path)).ToList();
        var closed = all.Where(u => u.ClosedOn != null).Select(u => u.Id).ToHashSet();
        var schools = (await db.Schools.Select(s => new { s.Id, s.Path }).ToListAsync(ct)).Where(s => !Hidden(s.Path)).ToList();
        var pupils = await db.Enrollments.InSchool(year)
            .GroupBy(e => e.SchoolId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var staff = await db.StaffAssignments.Where(a => a.Year == year)
            .GroupBy(a => a.SchoolId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        var byParent = units.ToLookup(u => u.ParentId);
        var ids = units.Select(u => u.Id).ToHashSet();
        OrgNode Build(int id, string name, OrgUnitKind kind, string path)
        {
            var under = schools.Where(s => s.Path.StartsWith(path, StringComparison.Ordinal)).ToList();
            var children = byParent[id].Select(c => Build(c.Id, c.Name, c.Kind, c.Path)).ToList();
            return new OrgNode(id, name, kind, path, under.Count,
                under.Sum(s => pupils.GetValueOrDefault(s.Id)), under.Sum(s => staff.GetValueOrDefault(s.Id)), children, closed.Contains(id));
        }
        // Roots: visible units whose parent is not visible (the scope's own unit).
        return units.Where(u => u.ParentId is null || !ids.Contains(u.ParentId.Value))
            .Select(u => Build(u.Id, u.Name, u.Kind, u.Path)).ToList();
    }
}
