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

    /// <summary>
    /// The year's enrolments sorted by 学籍号 (ordinal, as the database orders them). The names are also joined into one
    /// string (<see cref="AllNames"/>, a control character between them, which no search term contains), so a search is
    /// one vectorised IndexOf over it rather than a Contains per pupil.
    /// </summary>
    private sealed record Roster(long Version, bool TooLarge, long[] StudentIds, int[] Schools, string AllNames, int[] NameStarts,
        Dictionary<string, int> ByNo, Dictionary<string, List<int>> ByIdNumber)
    {
        public static Roster Large(long version) => new(version, true, [], [], "", [], [], []);
    }

    private const char Separator = '\u0001';

    private readonly ConcurrentDictionary<int, Lazy<Task<Roster>>> _byYear = new();

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
        // The SQL twin: Name.Contains(term) || StudentNo == term || IdNumber == upper (ordinal, as SQLite's instr and
        // PostgreSQL's strpos compare).
        var hits = new List<int>();
        var names = roster.AllNames.AsSpan();
        for (var at = 0; at < names.Length;)
        {
            var found = names[at..].IndexOf(term.AsSpan(), StringComparison.Ordinal);
            if (found < 0) break;
            var i = Array.BinarySearch(roster.NameStarts, at + found);
            if (i < 0) i = ~i - 1;
            hits.Add(i);
            at = i + 1 < roster.NameStarts.Length ? roster.NameStarts[i + 1] : names.Length; // one hit per pupil
        }
        if (roster.ByNo.TryGetValue(term, out var byNo)) hits.Add(byNo);
        if (roster.ByIdNumber.TryGetValue(upper, out var byId)) hits.AddRange(byId);
        var result = new List<long>();
        var last = -1;
        foreach (var i in hits.Order())
        {
            if (i == last) continue;
            last = i;
            if (schools is null || schools.Contains(roster.Schools[i])) result.Add(roster.StudentIds[i]);
        }
        return result;
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
        if (await enrollments.CountAsync() > maxRows) return Roster.Large(current);
        var rows = await enrollments
            .Select(e => new { e.StudentId, e.Student.StudentNo, e.Student.Name, e.Student.IdNumber, e.SchoolId })
            .ToListAsync();
        rows.Sort((a, b) => string.CompareOrdinal(a.StudentNo, b.StudentNo));
        var all = new System.Text.StringBuilder(rows.Sum(r => r.Name.Length + 1));
        var starts = new int[rows.Count];
        var byNo = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        var byId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            starts[i] = all.Length;
            all.Append(rows[i].Name).Append(Separator);
            byNo.TryAdd(rows[i].StudentNo, i);
            if (rows[i].IdNumber is { } id)
            {
                if (!byId.TryGetValue(id, out var list)) byId[id] = list = [];
                list.Add(i);
            }
        }
        return new Roster(current, false, [.. rows.Select(r => r.StudentId)], [.. rows.Select(r => r.SchoolId)], all.ToString(), starts, byNo, byId);
    }
}
