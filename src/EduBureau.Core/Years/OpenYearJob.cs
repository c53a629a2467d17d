using EduBureau.Core.Jobs;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;

namespace EduBureau.Core.Years;

/// <summary>开启学年 as a job: what /Years queues once the preview is confirmed.</summary>
public sealed record OpenYearJobParameters(int Year, DateOnly? GraduationDate);

/// <summary>What an opened (or refused) year stores as its result: the plan's message and totals.</summary>
public sealed record OpenYearJobResult(int Year, bool Written, string Message, int Promoted, int Graduating, int Classes, int Staff, double Seconds);

/// <summary>
/// 开启学年 (<see cref="OpenSchoolYear.RunAsync"/>) run by the job service: one transaction over reads and writes, so a
/// cancel, a shutdown or a crash while writing leaves the year unopened. Bureau administrators only.
/// </summary>
public sealed class OpenYearJob : IJobHandler
{
    public const string KindName = "open-year";

    public string Kind => KindName;
    public string Name => "开启学年";
    public bool MayRun(string role) => role == Roles.BureauAdmin;

    public async Task<JobOutcome> RunAsync(JobContext ctx)
    {
        if (ctx.Parameters<OpenYearJobParameters>() is not { } p) return JobOutcome.Fail(JobStore.UnknownMessage(ctx.Job.Kind));
        var r = await OpenSchoolYear.RunAsync(ctx.Db, p.Year, new RolloverOptions(p.GraduationDate), ctx.CancellationToken, phase => ctx.Report(phase));
        var t = r.Plan.Total;
        var result = new OpenYearJobResult(p.Year, r.Written, r.Message, t.Promoted, t.Graduating, t.Classes, t.Staff, Math.Round(r.Elapsed.TotalSeconds, 1));
        // A refused plan (data of another kind already in the year) is a failure; a plan with nothing to do is not.
        return new JobOutcome(!r.Refused, JobJson.Write(result), r.Refused ? r.Message : null);
    }

    public string Describe(Job job) => JobJson.Read<OpenYearJobParameters>(job.Parameters) is { } p ? SchoolYear.For(p.Year).Name : "";

    public JobSummary Summarize(Job job)
    {
        if (JobJson.Read<OpenYearJobResult>(job.ResultSummary) is not { } r) return JobSummary.None;
        return r.Written
            // The message already gives the counts (the preview's sentence); the job adds how long it took.
            ? new([$"{r.Message}（用时 {r.Seconds} 秒）"],
                LinkText: $"查看{SchoolYear.For(r.Year).Name}", LinkUrl: $"/Years?opened={r.Year}")
            : new([r.Message]);
    }
}
