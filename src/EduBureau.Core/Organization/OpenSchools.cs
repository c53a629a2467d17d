using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Schools;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Organization;

/// <summary>Closed (撤销/撤并) schools leave current lists and choices; their history stays in the data.</summary>
public static class OpenSchools
{
    /// <summary>The school list without closed schools.</summary>
    public static IQueryable<SchoolRow> Rows(EduDbContext db, IQueryable<SchoolRow> rows) =>
        rows.Where(r => !db.OrgUnits.Any(u => u.Id == r.Id && u.ClosedOn != null));

    /// <summary>Ids of the closed schools in scope (few), to mark them in a list that shows them.</summary>
    public static async Task<HashSet<int>> ClosedIdsAsync(EduDbContext db, CancellationToken ct = default) =>
        (await db.OrgUnits.Where(u => u.Kind == OrgUnitKind.School && u.ClosedOn != null).Select(u => u.Id).ToListAsync(ct)).ToHashSet();

    /// <summary>A school closed (撤销/撤并) takes no new pupils or staff: the Chinese reason, or null when it is open.</summary>
    public static async Task<string?> RefuseClosedAsync(EduDbContext db, School school, CancellationToken ct = default) =>
        await db.OrgUnits.CountyWide().AnyAsync(u => u.Id == school.Id && u.ClosedOn != null, ct)
            ? $"{school.Name}已撤销，不能再转入或新增学生、教职工" : null;

    /// <summary>Open schools in scope, for drop-downs (name and code), optionally leaving one out.</summary>
    public static Task<List<(int Id, string Label)>> ChoicesAsync(EduDbContext db, int? except = null, CancellationToken ct = default) =>
        db.Schools.Where(s => s.Unit.ClosedOn == null && s.Id != (except ?? 0)).OrderBy(s => s.Name)
            .Select(s => new ValueTuple<int, string>(s.Id, s.Name + "（" + s.Code + "）")).ToListAsync(ct);
}
