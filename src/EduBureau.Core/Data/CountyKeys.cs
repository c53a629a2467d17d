using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EduBureau.Core.Data;

/// <summary>
/// The county key on fact rows (<see cref="ICountyKeyed"/>, docs/scaling.md). A row's <c>CountyId</c> is its school's
/// county, always: the key a distributed database routes the row by. EF saves get it here, in one place; raw SQL and
/// COPY writers set it themselves; <see cref="MismatchesAsync"/> finds any row that disagrees with its school.
/// </summary>
public static class CountyKeys
{
    /// <summary>Sets the county of every added row, and of every row whose school changes, from that school.</summary>
    internal static async Task FillAsync(EduDbContext db, IEnumerable<EntityEntry> changed, CancellationToken ct)
    {
        var entries = changed.Where(e => e.Entity is ICountyKeyed && (e.State == EntityState.Added
            || (e.State == EntityState.Modified && (e.Property(nameof(ICountyKeyed.SchoolId)).IsModified
                                                    || e.Property(nameof(ICountyKeyed.CountyId)).IsModified)))).ToList();
        if (entries.Count == 0) return;
        // Tracked schools first: the save may add the school or move it to another county.
        var counties = new Dictionary<int, int>();
        foreach (var s in db.ChangeTracker.Entries<School>()) counties[s.Entity.Id] = s.Entity.CountyId;
        var missing = entries.Select(e => ((ICountyKeyed)e.Entity).SchoolId).Where(id => !counties.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
            foreach (var s in await db.Schools.CountyWideForWrite().Where(s => missing.Contains(s.Id)).Select(s => new { s.Id, s.CountyId }).ToListAsync(ct))
                counties[s.Id] = s.CountyId;
        foreach (var e in entries)
        {
            var row = (ICountyKeyed)e.Entity;
            // A row added with its school as a navigation has no school id before the save.
            if (row is ISchoolScoped { School: { } school } && school.CountyId != 0) row.CountyId = school.CountyId;
            else if (counties.TryGetValue(row.SchoolId, out var county)) row.CountyId = county;
        }
    }

    /// <summary>Tables whose rows carry the county key, from the model.</summary>
    private static IEnumerable<IEntityType> Tables(IModel model) =>
        model.GetEntityTypes().Where(t => typeof(ICountyKeyed).IsAssignableFrom(t.ClrType));

    /// <summary>
    /// After a school (or a township with its schools) moved to another county: every row of those schools follows,
    /// set-based, in the caller's transaction. <paramref name="schoolPathPrefix"/> is the moved unit's new path.
    /// </summary>
    internal static async Task FollowSchoolsAsync(EduDbContext db, string schoolPathPrefix, int county, CancellationToken ct)
    {
        foreach (var t in Tables(db.Model))
        {
#pragma warning disable EF1003 // table and column names come from the model; the values are parameters
            await db.Database.ExecuteSqlRawAsync(
                $"UPDATE {SqlNames.Table(t)} SET \"CountyId\" = {{0}} WHERE \"CountyId\" <> {{0}} AND \"SchoolId\" IN " +
                $"(SELECT \"Id\" FROM {SqlNames.Table<School>(db)} WHERE \"Path\" LIKE {{1}})", [county, schoolPathPrefix + "%"], ct);
#pragma warning restore EF1003
        }
    }

    /// <summary>Rows whose county key is not their school's county, per table (empty when all agree).</summary>
    public static async Task<Dictionary<string, int>> MismatchesAsync(EduDbContext db, CancellationToken ct = default)
    {
        var result = new Dictionary<string, int>();
        foreach (var t in Tables(db.Model))
        {
#pragma warning disable EF1002 // table names come from the model; nothing from a user
            var n = await db.Database.SqlQueryRaw<long>(
                $"SELECT COUNT(*) AS \"Value\" FROM {SqlNames.Table(t)} r JOIN {SqlNames.Table<School>(db)} s ON s.\"Id\" = r.\"SchoolId\" WHERE r.\"CountyId\" <> s.\"CountyId\"")
                .SingleAsync(ct);
#pragma warning restore EF1002
            if (n > 0) result[t.ClrType.Name] = (int)n;
        }
        return result;
    }
}
