using System.Collections.Concurrent;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Figures;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Students;

/// <summary>
/// The pupil search (part of the name, or the exact 学籍号 or 身份证件号) over a year's roster held in memory, kept per
/// data version like the stored figures (ADR 0012). In SQL every search scans the year's enrolments twice (count and
/// page) with a name match per row; here it is one pass over an array, and only the page's rows are read from the
/// database, through the reader's scoped query (#16). It returns the same pupils in the same order as
/// <see cref="StudentQueries.Search"/> sorted by 学籍号; a test holds the two equal. A roster larger than
/// <see cref="MaxRows"/> (a province in one database) is not held: callers then search in SQL.
/// </summary>
public sealed class RosterSearch(DatabaseOptions options, int maxRows = RosterSearch.DefaultMaxRows)
{
    public const int DefaultMaxRows = 1_000_000;

    /// <summary>The year's enrolments sorted by 学籍号 (ordinal, as the database orders them).</summary>
    private sealed record Roster(long Version, bool TooLarge, long[] StudentIds, string[] Nos, string[] Names, string?[] IdNumbers, int[] Schools);

    private readonly ConcurrentDictionary<int, Lazy<Task<Roster>>> _byYear = new();

    public int MaxRows => maxRows;

    /// <summary>
    /// The pupils of <paramref name="year"/> matching <paramref name="term"/> (already cleaned by <see cref="SearchText.Clean"/>)
    /// at <paramref name="schools"/> (null: every school), in 学籍号 order; null when the roster is not held (no data
    /// version, or too large).
    /// </summary>
    public async Task<IReadOnlyList<long>?> FindAsync(EduDbContext reader, int year, string term, IReadOnlySet<int>? schools, CancellationToken ct = default)
    {
        if (await FigureStore.VersionAsync(reader, ct) is not { } version) return null;
        var roster = await GetAsync(year, version, ct);
        if (roster.TooLarge) return null;
        var upper = term.ToUpperInvariant();
        var found = new List<long>();
        for (var i = 0; i < roster.StudentIds.Length; i++)
        {
            if (schools is not null && !schools.Contains(roster.Schools[i])) continue;
            // The SQL twin: Name.Contains(term) || StudentNo == term || IdNumber == upper (ordinal, as SQLite's instr
            // and PostgreSQL's strpos compare).
            if (roster.Names[i].Contains(term, StringComparison.Ordinal) || roster.Nos[i] == term || roster.IdNumbers[i] == upper)
                found.Add(roster.StudentIds[i]);
        }
        return found;
    }

    private async Task<Roster> GetAsync(int year, long version, CancellationToken ct)
    {
        while (true)
        {
            var lazy = _byYear.GetOrAdd(year, _ => new Lazy<Task<Roster>>(() => LoadAsync(year, version)));
            Roster roster;
            try { roster = await lazy.Value.WaitAsync(ct); }
            catch when (lazy.Value.IsFaulted) { _byYear.TryRemove(new KeyValuePair<int, Lazy<Task<Roster>>>(year, lazy)); throw; }
            if (roster.Version >= version) return roster;
            // Built before the last change: one reader rebuilds it, the others wait for that one.
            _byYear.TryUpdate(year, new Lazy<Task<Roster>>(() => LoadAsync(year, version)), lazy);
        }
    }

    private async Task<Roster> LoadAsync(int year, long version)
    {
        await using var db = Database.OpenSystem(options, "roster-search");
        // The version before the rows: rows committed meanwhile are newer than it, never older (a later read rebuilds).
        var current = await FigureStore.VersionAsync(db) ?? version;
        var enrollments = db.Enrollments.AsNoTracking().Where(e => e.Year == year);
        if (await enrollments.CountAsync() > maxRows) return new Roster(current, true, [], [], [], [], []);
        var rows = await enrollments
            .Select(e => new { e.StudentId, e.Student.StudentNo, e.Student.Name, e.Student.IdNumber, e.SchoolId })
            .ToListAsync();
        rows.Sort((a, b) => string.CompareOrdinal(a.StudentNo, b.StudentNo));
        return new Roster(current, false, [.. rows.Select(r => r.StudentId)], [.. rows.Select(r => r.StudentNo)], [.. rows.Select(r => r.Name)],
            [.. rows.Select(r => r.IdNumber)], [.. rows.Select(r => r.SchoolId)]);
    }
}
