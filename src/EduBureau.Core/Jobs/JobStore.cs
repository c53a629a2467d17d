using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EduBureau.Core.Jobs;

/// <summary>
/// The job table as a queue. Submitting is an ordinary (audited, scope-checked) insert; every later change of
/// state is one UPDATE statement guarded by the state it expects (so two runners, or a cancel racing the runner,
/// cannot both win), and is not audited: the import the job runs writes its own audit entry.
/// </summary>
public static class JobStore
{
    public const string RestartMessage = "服务重启，任务已中断，未写入任何数据";
    public const string StopMessage = "服务停止，任务已中断，未写入任何数据";
    public const string CancelMessage = "已取消，未写入任何数据";
    public const string OwnerChangedMessage = "提交人的账号已停用或权限已变更，任务未执行，未写入任何数据";

    /// <summary>A row whose kind no handler knows (a kind removed, or parameters that do not read).</summary>
    public static string UnknownMessage(string kind) => $"无法识别的任务（类型“{kind}”），未执行，未写入任何数据";

    /// <summary>
    /// Queues a job of <paramref name="handler"/>'s kind for the context's user, in the unit chosen in the top bar.
    /// The role and the unit are checked here (and again when the job starts); the row is then inserted with the
    /// job service's rights, so read-only roles (科室, 督学) can ask for a report. The insert is audited under the user.
    /// </summary>
    public static async Task<Job> SubmitAsync(EduDbContext db, IJobHandler handler, object parameters, int unitId, string unitPath,
        CancellationToken ct = default)
    {
        var scope = db.Scope;
        if (!handler.MayRun(scope.Role))
            throw new ScopeViolationException($"当前角色不能提交“{handler.Name}”任务");
        if (!scope.Covers(unitPath)) throw new ScopeViolationException("无权为本单位范围以外的单位提交任务");
        var json = parameters as string ?? JobJson.Write(parameters);
        var options = (DbContextOptions<EduDbContext>)db.GetService<IDbContextOptions>();
        await using var system = new EduDbContext(options, UserScope.System(scope.Actor), db.Clock);
        return await EnqueueAsync(system, handler.Kind, scope.Actor, unitId, unitPath, json, ct);
    }

    public static async Task<Job> EnqueueAsync(EduDbContext db, string kind, string owner, int unitId, string unitPath, string parameters,
        CancellationToken ct = default)
    {
        var job = new Job
        {
            Kind = kind, Owner = owner, OrgUnitId = unitId, UnitPath = unitPath, Parameters = parameters,
            State = JobState.Queued, CreatedUtc = db.Clock.GetUtcNow().UtcDateTime,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        return job;
    }

    /// <summary>Takes the oldest queued job (lowest id) and marks it 运行中; null when the queue is empty.</summary>
    public static async Task<Job?> ClaimNextAsync(EduDbContext db, CancellationToken ct = default)
    {
        while (true)
        {
            var next = await db.Jobs.Where(j => j.State == JobState.Queued).OrderBy(j => j.Id).Select(j => (int?)j.Id).FirstOrDefaultAsync(ct);
            if (next is not { } id) return null;
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var claimed = await db.Jobs.Where(j => j.Id == id && j.State == JobState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Running).SetProperty(j => j.StartedUtc, now), ct);
            if (claimed == 1) return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, ct);
        }
    }

    public static Task<int> SetProgressAsync(EduDbContext db, int id, JobProgress progress, CancellationToken ct = default)
    {
        var json = JobJson.Write(progress);
        return db.Jobs.Where(j => j.Id == id && j.State == JobState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, json), ct);
    }

    /// <summary>Ends a running job: 完成, 失败, 已中断 or 已取消 with what the result page needs.</summary>
    public static Task<int> FinishAsync(EduDbContext db, int id, string state, string? result, string? error, string? errorWorkbook,
        CancellationToken ct = default)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        return db.Jobs.Where(j => j.Id == id && j.State == JobState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, state).SetProperty(j => j.ResultSummary, result)
                .SetProperty(j => j.Error, error).SetProperty(j => j.ErrorWorkbookPath, errorWorkbook).SetProperty(j => j.FinishedUtc, now), ct);
    }

    /// <summary>At start-up: every job still 运行中 belonged to a process that died; its transaction never committed.</summary>
    public static Task<int> InterruptOrphansAsync(EduDbContext db, CancellationToken ct = default)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        return db.Jobs.Where(j => j.State == JobState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Interrupted).SetProperty(j => j.Error, RestartMessage)
                .SetProperty(j => j.FinishedUtc, now), ct);
    }

    /// <summary>
    /// The owner cancels a queued job (done here: it becomes 已取消). Returns the job's state as found, so the caller
    /// knows a running one must be cancelled by the runner; null when the job is not the owner's or not visible.
    /// </summary>
    public static async Task<string?> CancelQueuedAsync(EduDbContext db, int id, string owner, CancellationToken ct = default)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var done = await db.Jobs.Where(j => j.Id == id && j.Owner == owner && j.State == JobState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Cancelled).SetProperty(j => j.Error, CancelMessage)
                .SetProperty(j => j.FinishedUtc, now), ct);
        if (done == 1) return JobState.Queued;
        return await db.Jobs.Where(j => j.Id == id && j.Owner == owner).Select(j => j.State).FirstOrDefaultAsync(ct);
    }

    /// <summary>Deletes finished jobs created before <paramref name="beforeUtc"/>; returns their ids (whose files the caller removes).</summary>
    public static async Task<IReadOnlyList<int>> PurgeAsync(EduDbContext db, DateTime beforeUtc, CancellationToken ct = default)
    {
        var old = db.Jobs.Where(j => j.CreatedUtc < beforeUtc && j.State != JobState.Queued && j.State != JobState.Running);
        var ids = await old.Select(j => j.Id).ToListAsync(ct);
        if (ids.Count > 0) await db.Jobs.Where(j => ids.Contains(j.Id)).ExecuteDeleteAsync(ct);
        return ids;
    }

    /// <summary>
    /// One page of jobs for /Jobs, newest first: the owner's own, or (<paramref name="owner"/> null) every job the
    /// context's scope sees. Returns the page and whether there is a next one.
    /// </summary>
    public static async Task<(List<Job> Jobs, bool More)> PageAsync(EduDbContext db, string? owner, int page, int size, CancellationToken ct = default)
    {
        var q = db.Jobs.AsNoTracking();
        if (owner is not null) q = q.Where(j => j.Owner == owner);
        var rows = await q.OrderByDescending(j => j.Id).Skip(Math.Max(0, page - 1) * size).Take(size + 1).ToListAsync(ct);
        var more = rows.Count > size;
        if (more) rows.RemoveAt(size);
        return (rows, more);
    }

    /// <summary>
    /// How many jobs run or wait before queued job <paramref name="id"/>: one queue per database, so every unit's jobs
    /// count (county-wide, but only as a number: nothing of the others is shown).
    /// </summary>
    public static Task<int> AheadAsync(EduDbContext db, int id, CancellationToken ct = default) =>
        db.Jobs.CountyWide().CountAsync(j => j.State == JobState.Running || (j.State == JobState.Queued && j.Id < id), ct);

    /// <summary>"排队中：前面还有 N 个任务".</summary>
    public static string QueuedText(int ahead) => $"排队中：前面还有 {ahead} 个任务";

    /// <summary>The newest jobs the context's scope sees.</summary>
    public static Task<List<Job>> RecentAsync(EduDbContext db, string kind, int take, CancellationToken ct = default) =>
        db.Jobs.AsNoTracking().Where(j => j.Kind == kind).OrderByDescending(j => j.Id).Take(take).ToListAsync(ct);
}
