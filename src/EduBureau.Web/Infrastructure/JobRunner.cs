using System.Data.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Core.Jobs;
using EduBureau.Core.Years;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// Runs queued jobs (the <c>Jobs</c> table) one at a time, oldest first: SQLite has one writer, and a job's transaction
/// holds it until it commits. Each kind's work is an <see cref="IJobHandler"/> found by <see cref="Job.Kind"/>; the
/// runner gives it the owner's scope (re-checked now), a context, progress, cancellation and a folder. Progress is
/// kept in memory for the result pages and written to the row at most every ~500 ms (on SQLite only when the job's
/// transaction does not hold the write lock). On shutdown the running job is cancelled, its transaction rolls back and
/// it becomes 已中断; at start-up every job left 运行中 by a process that died becomes 已中断. Old jobs go after
/// <see cref="JobOptions.RetentionDays"/>, their files (and temporary files) after <see cref="JobOptions.FileRetentionHours"/>
/// (<see cref="FileSweeper"/>), checked hourly.
/// </summary>
public sealed class JobRunner(DatabaseOptions db, TimeProvider clock, IOptions<JobOptions> options,
    IHostEnvironment env, IEnumerable<IJobHandler> handlers, ILogger<JobRunner> log) : BackgroundService
{
    private const string InternalError = "任务执行时发生内部错误，未写入任何数据。请联系管理员查看日志。";
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Lock _gate = new();
    private readonly HashSet<int> _cancelRequested = [];
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
    private (int Id, CancellationTokenSource Cts)? _running;
    private volatile JobProgress? _live;

    public JobFiles Files { get; } = new(options.Value.ResolveUploadRoot(db));
    public string UploadRoot => Files.Root;
    private int TestDelayMs => env.IsEnvironment("Testing") ? options.Value.TestDelayMs : 0;

    /// <summary>The handler of a kind; null for a kind no module registers.</summary>
    public IJobHandler? Handler(string kind) => _handlers.GetValueOrDefault(kind);

    /// <summary>The registered handler of type <typeparamref name="T"/>, for the page that submits its jobs.</summary>
    public T Handler<T>() where T : IJobHandler => _handlers.Values.OfType<T>().Single();

    /// <summary>A job was queued: look now rather than at the next poll.</summary>
    public void Wake() => _wake.Release();

    /// <summary>Queues a job for the signed-in user in the unit chosen in the top bar, and wakes the runner.</summary>
    public async Task<Job> SubmitAsync(EduDbContext ctx, IJobHandler handler, object parameters, UnitInfo unit, CancellationToken ct)
    {
        // In a context of the job runner's (same scope): queuing behind a running import may wait for SQLite's write
        // lock as before, while the request's own context gives up after a second (edits answer at once).
        await using var own = Database.Open(db, ctx.Scope, clock);
        var job = await JobStore.SubmitAsync(own, handler, parameters, unit.Id, unit.Path, ct);
        Wake();
        return job;
    }

    /// <summary>The running job's latest progress, fresher than its row; null when <paramref name="id"/> is not running here.</summary>
    public JobProgress? Live(int id)
    {
        lock (_gate) return _running?.Id == id ? _live : null;
    }

    /// <summary>A job's progress: live while it runs here, else as last written to its row.</summary>
    public JobProgress? ProgressOf(Job job) => Live(job.Id) ?? JobJson.Read<JobProgress>(job.Progress);

    /// <summary>Cancels the job if it is running here, or remembers it so it is cancelled instead of started.</summary>
    public void RequestCancel(int id)
    {
        lock (_gate)
        {
            if (_running is { } r && r.Id == id) r.Cts.Cancel();
            else _cancelRequested.Add(id);
        }
    }

    /// <summary>
    /// The owner cancels <paramref name="job"/>: a queued one becomes 已取消 at once, a running one is cancelled (its
    /// transaction rolls back). Returns false when SQLite's write lock was busy: the runner then cancels it instead of starting it.
    /// </summary>
    public async Task<bool> CancelAsync(EduDbContext ctx, Job job, CancellationToken ct)
    {
        if (job.State == JobState.Running) RequestCancel(job.Id);
        else if (job.State == JobState.Queued)
        {
            try
            {
                if (await JobStore.CancelQueuedAsync(ctx, job.Id, job.Owner, ct) == JobState.Running) RequestCancel(job.Id);
            }
            catch (DbException)
            {
                RequestCancel(job.Id);
                return false;
            }
        }
        return true;
    }

    /// <summary>A stored relative path (upload, produced file) as a full path inside the job folder root, or null if it leaves it.</summary>
    public string? FullPath(string? relative) => Files.FullPath(relative);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the host serves anything: a job left 运行中 belonged to a process that died.
        await using (var ctx = Open())
        {
            var n = await JobStore.InterruptOrphansAsync(ctx, cancellationToken);
            if (n > 0) log.LogWarning("启动时将 {Count} 个未完成的任务标记为已中断", n);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPurge = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow().UtcDateTime >= nextPurge)
                {
                    await PurgeAsync(stoppingToken);
                    // Hourly: files go FileRetentionHours after their last change, give or take an hour.
                    nextPurge = clock.GetUtcNow().UtcDateTime.AddHours(1);
                }
                Job? job;
                await using (var ctx = Open()) job = await JobStore.ClaimNextAsync(ctx, stoppingToken);
                if (job is null)
                {
                    await _wake.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                    continue;
                }
                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogError(e, "任务队列出错，5 秒后重试");
                try { await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
    }

    private EduDbContext Open() => Database.OpenSystem(db, "jobs", clock);

    private async Task RunAsync(Job job, CancellationToken stopping)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        bool cancelledBeforeStart;
        lock (_gate)
        {
            cancelledBeforeStart = _cancelRequested.Remove(job.Id);
            _running = (job.Id, cts);
            _live = null;
        }
        var handler = Handler(job.Kind);
        var what = handler?.Describe(job);
        var upload = Files.FullPath(JobInput.Parse(job.Parameters)?.Upload);
        string state = JobState.Failed;
        string? error = null, result = null, file = null;
        using var progressStop = new CancellationTokenSource();
        var progressLoop = Task.Run(() => ProgressLoopAsync(job.Id, progressStop.Token), CancellationToken.None);
        try
        {
            if (cancelledBeforeStart) { state = JobState.Cancelled; error = JobStore.CancelMessage; }
            else if (handler is null) error = JobStore.UnknownMessage(job.Kind);
            else if (await OwnerScopeAsync(job, handler, stopping) is not { } scope) error = JobStore.OwnerChangedMessage;
            else
            {
                await using var ctx = Database.Open(db, scope, clock);
                var outcome = await handler.RunAsync(new JobContext(job, scope, ctx, Files, new Reporter(this, TestDelayMs, cts.Token).Report, cts.Token));
                // No signal here: the job's committed transaction has already signalled DataChanges (the context does),
                // before the job shows as done, so the next page lists a school year the job created.
                state = outcome.Success ? JobState.Done : JobState.Failed;
                (result, error) = (outcome.Result, outcome.Error);
                if (outcome.File is not null) file = Files.Relative(outcome.File);
            }
        }
        catch (Exception e) when (cts.IsCancellationRequested)
        {
            // Cancelled (shutdown or the owner): the job's transaction was disposed unfinished, so it rolled back.
            state = stopping.IsCancellationRequested ? JobState.Interrupted : JobState.Cancelled;
            error = stopping.IsCancellationRequested ? JobStore.StopMessage : JobStore.CancelMessage;
            if (e is not OperationCanceledException) log.LogInformation(e, "任务 {Id} 取消时的异常", job.Id);
        }
        catch (Exception e)
        {
            log.LogError(e, "任务 {Id}（{Kind} {What}）失败", job.Id, job.Kind, what);
            error = InternalError;
        }
        finally
        {
            await progressStop.CancelAsync();
            await progressLoop;
            lock (_gate) _running = null;
            if (upload is not null) try { File.Delete(upload); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        await using var done = Open();
        await JobStore.FinishAsync(done, job.Id, state, result, error, file, CancellationToken.None);
        log.LogInformation("任务 {Id}（{Kind} {What}）：{State}", job.Id, job.Kind, what, state);
    }

    /// <summary>
    /// The owner as they are now: an account disabled, given a role the kind does not allow (<see cref="IJobHandler.MayRun"/>)
    /// or moved out of the job's unit since submitting runs nothing (fail closed). The scope is the job's unit, as the
    /// owner chose it at submit.
    /// </summary>
    private async Task<UserScope?> OwnerScopeAsync(Job job, IJobHandler handler, CancellationToken ct)
    {
        await using var ctx = Open();
        var user = await ctx.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == job.Owner, ct);
        if (user is null || user.Disabled || !handler.MayRun(user.Role)) return null;
        var paths = await ctx.OrgUnits.AsNoTracking().Where(o => o.Id == user.OrgUnitId || o.Id == job.OrgUnitId)
            .ToDictionaryAsync(o => o.Id, o => o.Path, ct);
        if (!paths.TryGetValue(user.OrgUnitId, out var root) || !paths.TryGetValue(job.OrgUnitId, out var unit)
            || !unit.StartsWith(root, StringComparison.Ordinal)) return null;
        return UserScope.ForUser(user.UserName!, user.Role, job.OrgUnitId, unit);
    }

    /// <summary>Writes the latest progress to the row every ~500 ms when it changed; never makes the import wait.</summary>
    private async Task ProgressLoopAsync(int id, CancellationToken ct)
    {
        JobProgress? written = null;
        await using var ctx = Open();
        var sqlite = ctx.Database.IsSqlite();
        try
        {
            await ctx.Database.OpenConnectionAsync(ct);
            // The import's transaction holds SQLite's write lock: try briefly and skip the tick rather than queue behind it.
            if (sqlite) await ctx.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout = 50", ct);
            while (true)
            {
                await Task.Delay(500, ct);
                var p = _live;
                if (p is null || p == written) continue;
                try
                {
                    await JobStore.SetProgressAsync(ctx, id, p, ct);
                    written = p;
                }
                catch (DbException) { }
            }
        }
        catch (OperationCanceledException) { }
        catch (DbException e) { log.LogDebug(e, "任务 {Id} 进度未写入", id); }
        finally
        {
            try
            {
                if (sqlite) await ctx.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout = 10000", CancellationToken.None);
                await ctx.Database.CloseConnectionAsync();
            }
            catch (DbException)
            {
                // The pool keeps the handle's pragmas (SqlitePragmas sets them once per handle): never return it with 50 ms.
                if (ctx.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection c) Microsoft.Data.Sqlite.SqliteConnection.ClearPool(c);
            }
        }
    }

    private async Task PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-Math.Max(1, options.Value.RetentionDays));
        HashSet<string> active;
        await using (var ctx = Open())
        {
            var removed = await JobStore.PurgeAsync(ctx, cutoff, ct);
            if (removed.Count > 0) log.LogInformation("删除 {Count} 个过期任务", removed.Count);
            active = (await ctx.Jobs.AsNoTracking().Where(j => j.State == JobState.Queued || j.State == JobState.Running)
                    .Select(j => j.Parameters).ToListAsync(ct))
                .Select(JobInput.Parse).Select(x => FullPath(x?.Upload)).OfType<string>()
                .Select(f => Path.GetDirectoryName(f)!).ToHashSet(StringComparer.Ordinal);
        }
        // Each job's folder (upload, error workbook, report) goes long before its row; temporary files with it.
        var files = FileSweeper.Sweep(UploadRoot, active, now.AddHours(-Math.Max(1, options.Value.FileRetentionHours)));
        if (files > 0) log.LogInformation("删除 {Count} 个过期的上传文件、错误清单或临时文件", files);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>Keeps the latest progress; in tests (<see cref="JobOptions.TestDelayMs"/>) pauses once at 写入, inside the job's transaction.</summary>
    private sealed class Reporter(JobRunner runner, int pauseMs, CancellationToken ct)
    {
        private bool _paused;

        public void Report(JobProgress value)
        {
            runner._live = value;
            if (pauseMs > 0 && !_paused && value.Phase == "写入")
            {
                _paused = true;
                ct.WaitHandle.WaitOne(pauseMs);
            }
            ct.ThrowIfCancellationRequested();
        }
    }
}

public static class JobSetup
{
    /// <summary>The job runner (one, shared with the pages that queue and show jobs), its options and the job kinds.</summary>
    public static IServiceCollection AddJobRunner(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<JobOptions>(config.GetSection(JobOptions.Section));
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        // Every kind of long work, one line each: a new module adds its handler here.
        services.AddJobHandler<ImportJobHandler>();
        services.AddJobHandler<OpenYearJob>();
        services.AddJobHandler<ExamReportJob>();
        services.AddJobHandler<Core.Figures.RecomputeFiguresJob>();
        return services;
    }

    /// <summary>Registers a job kind: the runner finds its handler by <see cref="IJobHandler.Kind"/>.</summary>
    public static IServiceCollection AddJobHandler<T>(this IServiceCollection services) where T : class, IJobHandler =>
        services.AddSingleton<IJobHandler, T>();
}
