using EduBureau.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using EduBureau.Core.Security;

namespace EduBureau.Core.Figures;

public sealed record RecomputeFiguresParameters(int Year);

public sealed record RecomputeFiguresResult(int Year, IReadOnlyList<string> Lines);

/// <summary>
/// 重新计算: the bureau administrator computes every stored figure of a school year anew (ADR 0012), as a job, so it
/// survives a restart and shows in 任务. Figures are otherwise computed by themselves after each change of the data.
/// </summary>
public sealed class RecomputeFiguresJob(FigureStore store) : IJobHandler
{
    public const string KindName = "figures";

    public string Kind => KindName;
    public string Name => "重新计算统计结果";
    public bool MayRun(string role) => role == Roles.BureauAdmin;

    public async Task<JobOutcome> RunAsync(JobContext ctx)
    {
        if (ctx.Parameters<RecomputeFiguresParameters>() is not { } p) return JobOutcome.Fail(JobStore.UnknownMessage(ctx.Job.Kind));
        var lines = new List<string>();
        var kinds = FigureCatalog.All;
        for (var i = 0; i < kinds.Count; i++)
        {
            ctx.Report(kinds[i].Name, fraction: (double)i / kinds.Count);
            var started = System.Diagnostics.Stopwatch.StartNew();
            await store.RecomputeAsync(kinds[i], p.Year, ctx.Job.Owner, ctx.CancellationToken);
            lines.Add($"{kinds[i].Name}：已计算（{started.Elapsed.TotalSeconds:0.0} 秒）");
        }
        // The year's exams: their stored scores (the analysis runs from them when a page is next read).
        var exams = await ctx.Db.Set<Exams.Exam>().Where(e => e.Year == p.Year).OrderBy(e => e.Id).Select(e => new { e.Id, e.Name }).ToListAsync(ctx.CancellationToken);
        foreach (var e in exams)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await store.RecomputeAsync(Exams.ExamFigures.Data, e.Id, ctx.Job.Owner, ctx.CancellationToken);
            lines.Add($"{e.Name}：成绩数据已重新读取（{started.Elapsed.TotalSeconds:0.0} 秒）");
        }
        return new JobOutcome(true, JobJson.Write(new RecomputeFiguresResult(p.Year, lines)));
    }

    public string Describe(Job job) => JobJson.Read<RecomputeFiguresParameters>(job.Parameters) is { } p ? $"{p.Year} 学年" : "";

    public JobSummary Summarize(Job job) => JobJson.Read<RecomputeFiguresResult>(job.ResultSummary) is { } r
        ? new([$"{r.Year} 学年的统计结果已重新计算", .. r.Lines])
        : JobSummary.None;
}

/// <summary>Every kind of stored figure, for 重新计算 and <c>edu figures recompute</c>.</summary>
public static class FigureCatalog
{
    public static IReadOnlyList<FigureKind> All { get; } =
    [
        Indicators.IndicatorFigures.Snapshot,
        Dropout.DetectDropouts.Stored,
        Aid.CheckAid.StoredYear,
        Aid.CheckAid.StoredTerm1,
        Aid.CheckAid.StoredTerm2,
    ];
}
