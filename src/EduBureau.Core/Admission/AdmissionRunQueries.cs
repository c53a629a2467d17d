using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Admission;

/// <summary>One applicant row of a run's list.</summary>
public sealed record ApplicantRow(int Index, int Rank, string ExamNo, string Name, string JuniorSchool, decimal Total, string? School, string? Batch);

/// <summary>
/// The Run page's applicant filter: <see cref="Exam"/> (考号 or 姓名 contains), <see cref="Junior"/> (毕业学校标识码),
/// <see cref="Outcome"/> (none, zhibiao, tongzhao), <see cref="Sort"/> (rank default, exam, name, junior, school, batch;
/// "-" prefix = descending), 1-based <see cref="Page"/>.
/// </summary>
public sealed record ApplicantQuery(string? Exam = null, string? Junior = null, string? Outcome = null, string? Sort = null, int Page = 1, int PageSize = 50);

/// <summary>One page of a run's applicants, the filtered total, the clamped page and counts per batch (未录取 included).</summary>
public sealed record ApplicantPage(IReadOnlyList<ApplicantRow> Rows, int Total, int Page, Dictionary<string, int> ByBatch);

/// <summary>One school and batch in two runs (null = not offered in that run).</summary>
public sealed record CutoffDifference(string School, string SchoolName, string Batch, decimal? ScoreA, decimal? ScoreB, int? AdmittedA, int? AdmittedB)
{
    public bool Differs => ScoreA != ScoreB || AdmittedA != AdmittedB;
}

/// <summary>An applicant placed differently by two runs (matched on 考号).</summary>
public sealed record PlacementDifference(string ExamNo, string Name, string JuniorSchool, decimal Total, string? SchoolA, string? BatchA, string? SchoolB, string? BatchB);

/// <summary>Two stored runs compared: per school and batch, and every applicant placed differently.</summary>
public sealed record RunComparison(AdmissionRunInfo A, AdmissionRunInfo B, IReadOnlyList<CutoffDifference> Cutoffs, int PlacedDifferently,
    IReadOnlyList<PlacementDifference> Placements, int OnlyInA, int OnlyInB);

public static partial class AdmissionRuns
{
    /// <summary>Filters, sorts (stable: ties keep rank order) and pages a run's applicants.</summary>
    public static ApplicantPage Applicants(AdmissionResult r, ApplicantQuery q)
    {
        var byBatch = new Dictionary<string, int>();
        for (var a = 0; a < r.ApplicantCount; a++)
        {
            var key = r.BatchName(a) ?? "未录取";
            byBatch[key] = byBatch.GetValueOrDefault(key) + 1;
        }
        var apps = r.Input.Applicants;
        var filtered = new List<int>();
        var rank = 0;
        var ranks = new Dictionary<int, int>();
        foreach (var a in r.RankOrder)
        {
            rank++;
            if (q.Exam is { Length: > 0 } e && !apps[a].ExamNo.Contains(e, StringComparison.Ordinal) && !apps[a].Name.Contains(e, StringComparison.Ordinal)) continue;
            if (q.Junior is { Length: > 0 } j && apps[a].SchoolCode != j) continue;
            if (q.Outcome == "none" && r.AdmittedSchoolIndex(a) >= 0) continue;
            if (q.Outcome == "zhibiao" && r.Round(a) != AdmissionLabels.Zhibiao) continue;
            if (q.Outcome == "tongzhao" && r.Round(a) != AdmissionLabels.Tongzhao) continue;
            filtered.Add(a);
            ranks[a] = rank;
        }
        var desc = q.Sort?.StartsWith('-') == true;
        Func<int, string>? sortKey = q.Sort?.TrimStart('-') switch
        {
            "exam" => a => apps[a].ExamNo,
            "name" => a => apps[a].Name,
            "junior" => a => apps[a].SchoolCode,
            "school" => a => r.AdmittedSchoolIndex(a) is >= 0 and var s ? r.Input.Plans[s].Name : "\uffff",
            "batch" => a => r.BatchName(a) ?? "\uffff",
            _ => null,
        };
        if (sortKey is not null) filtered = (desc ? filtered.OrderByDescending(sortKey, StringComparer.Ordinal) : filtered.OrderBy(sortKey, StringComparer.Ordinal)).ToList();
        else if (desc) filtered.Reverse();
        var page = Math.Clamp(q.Page, 1, Math.Max(1, (filtered.Count + q.PageSize - 1) / q.PageSize));
        var rows = filtered.Skip((page - 1) * q.PageSize).Take(q.PageSize).Select(a =>
        {
            var s = r.AdmittedSchoolIndex(a);
            return new ApplicantRow(a, ranks[a], apps[a].ExamNo, apps[a].Name, apps[a].SchoolCode, apps[a].Total,
                s >= 0 ? r.Input.Plans[s].Name : null, r.BatchName(a));
        }).ToList();
        return new ApplicantPage(rows, filtered.Count, page, byBatch);
    }

    /// <summary>
    /// Compares two stored runs (of the same dataset or two datasets; applicants are matched on 考号): cut-off and
    /// admitted count per school and batch from the stored cut-off rows, and every applicant in both whose admitted
    /// school or batch differs, in A's rank order. Null when either run is unknown.
    /// </summary>
    public static async Task<RunComparison?> CompareAsync(EduDbContext db, int runA, int runB, CancellationToken ct = default)
    {
        var infos = (await ListRunsAsync(db, ct)).Where(r => r.Id == runA || r.Id == runB).ToDictionary(r => r.Id);
        if (!infos.TryGetValue(runA, out var infoA) || !infos.TryGetValue(runB, out var infoB)) return null;
        var cuts = await db.Set<AdmissionRunCutoff>().AsNoTracking().Where(c => c.RunId == runA || c.RunId == runB).OrderBy(c => c.Id).ToListAsync(ct);
        // Rows in A's order, then what only B offers; a school/batch a run did not offer stays null on that side.
        var byA = cuts.Where(c => c.RunId == runA).ToDictionary(c => (c.Batch, c.School));
        var byB = cuts.Where(c => c.RunId == runB).ToDictionary(c => (c.Batch, c.School));
        var cutoffs = cuts.Where(c => c.RunId == runA).Concat(cuts.Where(c => c.RunId == runB && !byA.ContainsKey((c.Batch, c.School))))
            .DistinctBy(c => (c.Batch, c.School))
            .Select(c => new CutoffDifference(c.School, c.SchoolName, c.Batch,
                byA.GetValueOrDefault((c.Batch, c.School))?.Score, byB.GetValueOrDefault((c.Batch, c.School))?.Score,
                byA.GetValueOrDefault((c.Batch, c.School))?.Admitted, byB.GetValueOrDefault((c.Batch, c.School))?.Admitted))
            .ToList();

        var a = (await OpenAsync(db, runA, ct))!.Result;
        var b = runA == runB ? a : (await OpenAsync(db, runB, ct))!.Result;
        var inB = new Dictionary<string, int>(b.ApplicantCount, StringComparer.Ordinal);
        for (var i = 0; i < b.ApplicantCount; i++) inB[b.Input.Applicants[i].ExamNo] = i;
        var placements = new List<PlacementDifference>();
        var matched = 0;
        foreach (var i in a.RankOrder)
        {
            var app = a.Input.Applicants[i];
            if (!inB.TryGetValue(app.ExamNo, out var j)) continue;
            matched++;
            if (a.AdmittedSchool(i) == b.AdmittedSchool(j) && a.BatchName(i) == b.BatchName(j)) continue;
            placements.Add(new PlacementDifference(app.ExamNo, app.Name, app.SchoolCode, app.Total,
                SchoolName(a, i), a.BatchName(i), SchoolName(b, j), b.BatchName(j)));
        }
        return new RunComparison(infoA, infoB, cutoffs, placements.Count, placements, a.ApplicantCount - matched, b.ApplicantCount - matched);
    }

    private static string? SchoolName(AdmissionResult r, int applicant) =>
        r.AdmittedSchoolIndex(applicant) is >= 0 and var s ? r.Input.Plans[s].Name : null;
}
