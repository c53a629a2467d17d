using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Aid;

/// <summary>One line of the disbursement summary: a program (or the 合计 line, Program = null).</summary>
public sealed record AidTotalRow(string? Program, int Pupils, int Payments, decimal Amount);

/// <summary>
/// 发放汇总: pupils paid (人数, each pupil once per line) and the amount (金额) per program for a school year and
/// term(s), within the caller's scope (the query filters of the disbursements apply). The 合计 line counts a pupil
/// paid by two programs once.
/// </summary>
public static class AidTotals
{
    public static async Task<(IReadOnlyList<AidTotalRow> Programs, AidTotalRow Total)> RunAsync(EduDbContext db, int year,
        IReadOnlyCollection<int>? terms = null, CancellationToken ct = default)
    {
        var q = db.Set<AidDisbursement>().AsNoTracking().Where(d => d.Year == year);
        if (terms is { Count: > 0 }) q = q.Where(d => terms.Contains(d.Term));
        // Summed in memory: SQLite cannot SUM a decimal column in SQL, and a county's year is a few ten thousand rows.
        var rows = await q.Select(d => new { d.Program.Name, d.Program.Level, d.StudentNo, d.Amount }).ToListAsync(ct);
        var programs = rows.GroupBy(r => (r.Level, r.Name)).OrderBy(g => g.Key.Level).ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => new AidTotalRow(g.Key.Name, g.Select(r => r.StudentNo).Distinct().Count(), g.Count(), g.Sum(r => r.Amount)))
            .ToList();
        return (programs, new AidTotalRow(null, rows.Select(r => r.StudentNo).Distinct().Count(), rows.Count, rows.Sum(r => r.Amount)));
    }
}
