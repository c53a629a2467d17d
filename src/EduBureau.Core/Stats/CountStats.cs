using EduBureau.Core.Students;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Stats;

public sealed record LevelCounts(int Schools, int Students);

/// <summary>Head counts for a school year within the context's scope. Students = 在校 (在读 or 休学) on the count date.</summary>
public sealed record YearCounts(int Schools, int Classes, int Students, int Staff, IReadOnlyDictionary<string, LevelCounts> ByLevel);

public static class CountStats
{
    /// <summary>
    /// The same counts from an indicator snapshot (stored once per change, ADR 0012): what the dashboard shows without
    /// a query of its own. A test holds the two equal for every unit of the demo.
    /// </summary>
    public static YearCounts FromSnapshot(Indicators.IndicatorSnapshot s) => FromSnapshotMemo.GetValue(s, Count);

    // A snapshot (and its cut per reader) is immutable and kept per data version: its counts are computed once, not
    // once per dashboard request.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Indicators.IndicatorSnapshot, YearCounts> FromSnapshotMemo = new();

    private static YearCounts Count(Indicators.IndicatorSnapshot s)
    {
        var levelOf = s.Schools.ToDictionary(x => x.Id, x => x.Level);
        var byLevel = new SortedDictionary<string, LevelCounts>(StringComparer.Ordinal);
        foreach (var level in Enum.GetValues<SchoolLevel>())
        {
            var schools = s.Schools.Count(x => x.Level == level);
            var students = s.Pupils.Where(p => levelOf.GetValueOrDefault(p.SchoolId) == level && levelOf.ContainsKey(p.SchoolId)).Sum(p => p.Count);
            if (schools > 0 || students > 0) byLevel[level.Zh()] = new LevelCounts(schools, students);
        }
        return new YearCounts(s.Schools.Count, s.ClassRooms.Sum(c => c.Count), s.Pupils.Where(p => levelOf.ContainsKey(p.SchoolId)).Sum(p => p.Count),
            s.Staff.Sum(x => x.Count), byLevel);
    }

    public static async Task<YearCounts> ForYearAsync(EduDbContext db, int year, CancellationToken ct = default)
    {
        var schoolsByLevel = await db.Schools.GroupBy(s => s.Level)
            .Select(g => new { Level = g.Key, Count = g.Count() }).ToListAsync(ct);
        var studentsByLevel = await db.Enrollments.InSchool(year)
            .GroupBy(e => e.School.Level)
            .Select(g => new { Level = g.Key, Count = g.Count() }).ToListAsync(ct);
        var classes = await db.Classes.CountAsync(c => c.Year == year, ct);
        var staff = await db.StaffAssignments.CountAsync(a => a.Year == year, ct);

        var byLevel = new SortedDictionary<string, LevelCounts>(StringComparer.Ordinal);
        foreach (var level in Enum.GetValues<SchoolLevel>())
        {
            var schools = schoolsByLevel.FirstOrDefault(x => x.Level == level)?.Count ?? 0;
            var students = studentsByLevel.FirstOrDefault(x => x.Level == level)?.Count ?? 0;
            if (schools > 0 || students > 0) byLevel[level.Zh()] = new LevelCounts(schools, students);
        }
        return new YearCounts(schoolsByLevel.Sum(x => x.Count), classes, studentsByLevel.Sum(x => x.Count), staff, byLevel);
    }

    /// <summary>
    /// The year the top bar defaults to: the latest year with rosters (enrolments), else the latest year with any data,
    /// else the school year that contains today (from September 1).
    /// </summary>
    public static async Task<int> DefaultYearAsync(EduDbContext db, TimeProvider clock, CancellationToken ct = default)
        => (await Organization.SchoolYears.InDataAsync(db, ct)).Default(clock.GetLocalNow());
}
