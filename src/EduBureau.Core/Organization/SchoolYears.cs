using System.Data.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EduBureau.Core.Organization;

/// <summary>The school years in the data, and the one statement that makes sure a year exists.</summary>
public static class SchoolYears
{
    /// <summary>
    /// Adds the <c>SchoolYears</c> row of a year unless it is there: provider-neutral (SQLite ≥ 3.24 and PostgreSQL).
    /// Parameters <c>@p0</c> = year (int), <c>@p1</c> = count date (DateOnly, September 1 of the year): see <see cref="EnsureParameters"/>.
    /// Writers that bypass the context (raw SQL imports, the rollover) run it inside their own transaction.
    /// </summary>
    public const string EnsureSql = "INSERT INTO \"SchoolYears\" (\"Year\", \"CountDate\") VALUES (@p0, @p1) ON CONFLICT DO NOTHING";

    /// <summary>The parameters of <see cref="EnsureSql"/> for one year, by name (without the @).</summary>
    public static IReadOnlyList<(string Name, object Value)> EnsureParameters(int year)
    {
        var y = SchoolYear.For(year);
        return [("p0", y.Year), ("p1", y.CountDate)];
    }

    /// <summary>Runs <see cref="EnsureSql"/> on the transaction's connection, inside the transaction; true when the year was new.</summary>
    public static async Task<bool> EnsureAsync(DbTransaction transaction, int year, CancellationToken ct = default)
    {
        await using var cmd = transaction.Connection!.CreateCommand();
        cmd.Transaction = transaction;
        Bind(cmd, year);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Runs <see cref="EnsureSql"/> through the context, inside its current transaction if one is open.</summary>
    public static async Task EnsureAsync(EduDbContext db, int year, CancellationToken ct = default)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            Bind(cmd, year);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Sets <see cref="EnsureSql"/> and its two parameters on an ADO.NET command.</summary>
    public static void Bind(DbCommand cmd, int year)
    {
        cmd.CommandText = EnsureSql;
        cmd.Parameters.Clear();
        foreach (var (name, value) in EnsureParameters(year))
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
    }

    /// <summary>
    /// Every year that has data — a <c>SchoolYears</c> row, or enrolments, staff assignments or conditions without
    /// one (old databases) — oldest first, and the latest year with rosters (enrolments), or null.
    /// Reads the whole database (years are not scoped: the top bar offers the same years to everyone).
    /// </summary>
    public static async Task<YearsInData> InDataAsync(EduDbContext db, CancellationToken ct = default)
    {
        var years = new SortedSet<int>(await db.SchoolYears.AsNoTracking().Select(y => y.Year).ToListAsync(ct));
        var rosters = await DistinctYearsAsync(db.Enrollments.CountyWide().Select(e => e.Year), ct);
        years.UnionWith(rosters);
        years.UnionWith(await DistinctYearsAsync(db.StaffAssignments.CountyWide().Select(a => a.Year), ct));
        years.UnionWith(await DistinctYearsAsync(db.SchoolConditions.CountyWide().Select(c => c.Year), ct));
        return new YearsInData([.. years], rosters.Count > 0 ? rosters[^1] : null);
    }

    /// <summary>
    /// The distinct values of an indexed year column by successive index seeks (MIN over "year &gt; previous"):
    /// a handful of cheap queries instead of scanning a million-row table for DISTINCT.
    /// </summary>
    private static async Task<List<int>> DistinctYearsAsync(IQueryable<int> years, CancellationToken ct)
    {
        var result = new List<int>();
        int? last = null;
        while (result.Count < 200)
        {
            var previous = last ?? int.MinValue;
            var next = await years.Where(y => y > previous).Select(y => (int?)y).MinAsync(ct);
            if (next is not { } n) break;
            result.Add(n);
            last = n;
        }
        return result;
    }

    /// <summary>The school year that contains a date: from September 1 on, the year of the date; before, the one before.</summary>
    public static int Containing(DateTimeOffset date) => date.Month >= 9 ? date.Year : date.Year - 1;
}

/// <summary>Years with data, oldest first; <see cref="LatestWithRosters"/> is the newest one with enrolments.</summary>
public sealed record YearsInData(IReadOnlyList<int> Years, int? LatestWithRosters)
{
    /// <summary>
    /// The year shown when none is chosen: the latest year with rosters, else the latest year with any data, else — an
    /// empty installation — the school year containing <paramref name="today"/>.
    /// </summary>
    public int Default(DateTimeOffset today) => LatestWithRosters ?? (Years.Count > 0 ? Years[^1] : SchoolYears.Containing(today));
}
