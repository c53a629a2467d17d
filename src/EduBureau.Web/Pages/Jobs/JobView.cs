using EduBureau.Core.Data;
using EduBureau.Core.Jobs;
using EduBureau.Web.Infrastructure;

namespace EduBureau.Web.Pages.Jobs;

/// <summary>A job of any kind as the /Jobs pages show it: through its kind's handler (null for a kind no module registers).</summary>
public sealed record JobView(Job Job, IJobHandler? Handler, JobProgress? Progress)
{
    public static JobView Of(Job job, JobRunner runner) => new(job, runner.Handler(job.Kind), runner.ProgressOf(job));

    /// <summary>As <see cref="Of(Job, JobRunner)"/>, with the queue position of a queued job.</summary>
    public static async Task<JobView> WithPositionAsync(EduDbContext db, Job job, JobRunner runner, CancellationToken ct) =>
        Of(job, runner) with { Ahead = job.State == JobState.Queued ? await JobStore.AheadAsync(db, job.Id, ct) : null };

    public string KindName => Handler?.Name ?? Job.Kind;
    public string What => Handler?.Describe(Job) ?? "";
    public bool Active => JobState.IsActive(Job.State);
    public string ResultUrl => Handler?.ResultUrl(Job) ?? $"/Jobs/Result?id={Job.Id}";
    public JobSummary Summary => Handler?.Summarize(Job) ?? JobSummary.None;
    public int Percent => (int)Math.Round(Math.Clamp(Progress?.Fraction ?? 0, 0, 1) * 100);

    /// <summary>For a queued job: how many jobs run or wait before it (<see cref="JobStore.AheadAsync"/>).</summary>
    public int? Ahead { get; init; }

    /// <summary>Where a running job is, in words: 排队中 with the jobs before it, or its phase and rows.</summary>
    public string Where => Job.State == JobState.Queued ? (Ahead is { } n ? JobStore.QueuedText(n) : "排队")
        : Progress is { } p ? (p.Rows > 0 ? $"{p.Phase} {p.Rows:N0} 行" : p.Phase) : "开始";
}
