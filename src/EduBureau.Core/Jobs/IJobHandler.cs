using EduBureau.Core.Data;
using EduBureau.Core.Security;

namespace EduBureau.Core.Jobs;

/// <summary>
/// One kind of long work run by the job service. A module adds a kind by writing one handler (in its own feature
/// folder) and registering it in the web app (<c>services.AddJobHandler&lt;T&gt;()</c>); pages queue it with
/// <see cref="JobStore.SubmitAsync"/>, and /Jobs and /Jobs/Result show it through <see cref="Describe"/> and
/// <see cref="Summarize"/>. The runner owns everything else: the queue, the owner's rights, cancellation, restarts.
/// </summary>
public interface IJobHandler
{
    /// <summary>Stored in <see cref="Job.Kind"/> (at most 32 characters); never change it once jobs exist.</summary>
    string Kind { get; }

    /// <summary>The kind in Chinese, for lists (导入, 开启学年 …).</summary>
    string Name { get; }

    /// <summary>
    /// Which roles may run it. Checked at submit and again, against the owner's account as it is then, when the
    /// job starts (fail closed: an account disabled or changed since submitting runs nothing).
    /// </summary>
    bool MayRun(string role);

    /// <summary>
    /// Does the work with <see cref="JobContext.Db"/> (the owner's scope). Data work is all or nothing: one transaction,
    /// committed at the end, so a cancel, a shutdown or a crash leaves nothing written.
    /// </summary>
    Task<JobOutcome> RunAsync(JobContext ctx);

    /// <summary>What this job is about, from its parameters (a file name, a year, an exam): one short line.</summary>
    string Describe(Job job);

    /// <summary>The stored result as the generic result page shows it.</summary>
    JobSummary Summarize(Job job);

    /// <summary>The page that shows one job of this kind; a kind with a richer page of its own (imports) overrides it.</summary>
    string ResultUrl(Job job) => $"/Jobs/Result?id={job.Id}";
}

/// <summary>
/// How a job ended. <paramref name="File"/> is a file the job produced (a report) or, for an import that failed, the
/// error workbook; the runner stores it relative to the job folder root in <see cref="Job.ErrorWorkbookPath"/>.
/// Cached figures need no flag here: a job's committed transaction signals <c>DataChanges</c> through its context.
/// </summary>
public sealed record JobOutcome(bool Success, string? Result, string? Error = null, string? File = null)
{
    public static JobOutcome Fail(string error) => new(false, null, error);
}

/// <summary>
/// A result for the generic page: lines of text and, when the job produced a file, the name it downloads under
/// (only the owner gets it), and optionally one link onwards (e.g. to the year just opened).
/// </summary>
public sealed record JobSummary(IReadOnlyList<string> Lines, string? DownloadName = null, string? LinkText = null, string? LinkUrl = null)
{
    public static JobSummary None { get; } = new([]);
}

/// <summary>What a handler gets to do its work.</summary>
public sealed class JobContext(Job job, UserScope scope, EduDbContext db, JobFiles files, Action<JobProgress> report, CancellationToken ct)
{
    private string? _folder;

    public Job Job => job;
    /// <summary>The owner's rights as they are now, narrowed to the unit chosen at submit.</summary>
    public UserScope Scope => scope;
    /// <summary>A context opened in <see cref="Scope"/>: its query filters and save checks apply as in a page.</summary>
    public EduDbContext Db => db;
    public JobFiles Files => files;
    /// <summary>Cancelled by the owner's 取消 or by shutdown; pass it to every call.</summary>
    public CancellationToken CancellationToken => ct;

    /// <summary>
    /// Where the job is now. Report the phase "写入" once the transaction has written its first rows: the tests pause
    /// there (<c>Jobs:TestDelayMs</c>) to stop the server mid-transaction. Throws once the job is cancelled.
    /// </summary>
    public void Report(string phase, long rows = 0, double fraction = 0) => report(new JobProgress(phase, rows, fraction));

    /// <summary>The job's parameters (JSON) as <typeparamref name="T"/>; null when they do not read.</summary>
    public T? Parameters<T>() where T : class => JobJson.Read<T>(job.Parameters);

    /// <summary>A folder of this job's own for the files it produces (created on first use, removed by the retention purge).</summary>
    public string Folder => _folder ??= files.NewFolder();
}

/// <summary>
/// The job folder root (<c>Jobs:UploadDirectory</c>): uploads waiting for their job, error workbooks and produced
/// reports, each job in a folder of its own named by 32 hex digits. Rows store paths relative to the root, so
/// moving the folder with the database keeps the jobs readable.
/// </summary>
public sealed class JobFiles(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>A stored relative path as a full path inside the root, or null if it would leave it.</summary>
    public string? FullPath(string? relative)
    {
        if (string.IsNullOrEmpty(relative)) return null;
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>A full path as stored in a row (relative to the root, with '/').</summary>
    public string Relative(string full) => Path.GetRelativePath(Root, full).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Creates a new job folder and returns its full path.</summary>
    public string NewFolder()
    {
        var dir = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Only folders <see cref="NewFolder"/> creates (32 hex digits): a folder configured by hand may hold other things.</summary>
    public static bool IsJobFolder(string name) => name.Length == 32 && name.All(char.IsAsciiHexDigitLower);
}

/// <summary>
/// The one parameter the runner itself reads, whatever the kind: <c>upload</c>, a file waiting for the job (relative
/// to the job folder root). The runner deletes it when the job ends and the purge keeps its folder while queued.
/// </summary>
public sealed record JobInput(string? Upload)
{
    public static JobInput? Parse(string? json) => JobJson.Read<JobInput>(json);
}
