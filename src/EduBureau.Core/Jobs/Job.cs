namespace EduBureau.Core.Jobs;

/// <summary>The states a job goes through; stored as these Chinese words, shown as they are.</summary>
public static class JobState
{
    public const string Queued = "排队";
    public const string Running = "运行中";
    public const string Done = "完成";
    public const string Failed = "失败";
    public const string Interrupted = "已中断";
    public const string Cancelled = "已取消";

    /// <summary>Still to finish: the result page refreshes itself.</summary>
    public static bool IsActive(string state) => state is Queued or Running;
}

/// <summary>
/// One piece of background work (an import, 开启学年, a report …: see <see cref="IJobHandler"/>), persisted so a restart does not forget it. Visible to the
/// owner's unit and every unit above it: the query filter in <c>EduDbContext</c> compares <see cref="UnitPath"/>
/// (the submitting unit's path, copied at submit) with the scope, like an org unit's own path. Jobs are not
/// school rows (a county-level import is not any school's), so they are not <c>ISchoolScoped</c>.
/// State changes go through <see cref="JobStore"/> as single UPDATE statements, so progress ticks are neither
/// audited nor checked against the writer's scope (the job runner writes them for every unit).
/// </summary>
public sealed class Job
{
    public int Id { get; set; }
    /// <summary>What to run: the <see cref="IJobHandler.Kind"/> of a registered handler.</summary>
    public required string Kind { get; set; }
    /// <summary>User name of who submitted it.</summary>
    public required string Owner { get; set; }
    /// <summary>The unit the owner was working in at submit (the top bar's unit).</summary>
    public int OrgUnitId { get; set; }
    /// <summary>That unit's materialised path at submit ("/1/4/17/").</summary>
    public required string UnitPath { get; set; }
    /// <summary>JSON, the kind's own parameters (an import: <see cref="ImportJobParameters"/>); <c>upload</c> names an input file (<see cref="JobInput"/>).</summary>
    public required string Parameters { get; set; }
    public string State { get; set; } = JobState.Queued;
    /// <summary>JSON <see cref="JobProgress"/>, written at most every ~500 ms while running.</summary>
    public string? Progress { get; set; }
    /// <summary>JSON, the kind's own result (an import: <see cref="ImportJobResult"/>: counts, summary line, the first issues).</summary>
    public string? ResultSummary { get; set; }
    /// <summary>Why the job failed, was interrupted or cancelled (Chinese, for the user).</summary>
    public string? Error { get; set; }
    /// <summary>
    /// The file the job produced, relative to the job folder root: an import's error workbook, a report's .docx.
    /// (The column keeps the name it was released with; it serves every kind.)
    /// </summary>
    public string? ErrorWorkbookPath { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }

    /// <summary>Whether <paramref name="actor"/> submitted this job (user names compare without case, as at sign-in).</summary>
    public bool IsOwnedBy(string actor) => string.Equals(Owner, actor, StringComparison.OrdinalIgnoreCase);
}

public static class JobKinds
{
    public const string Import = "import";
}

/// <summary>Where a running job is: phase (检查, 写入 …), rows so far, fraction 0–1.</summary>
public sealed record JobProgress(string Phase, long Rows, double Fraction);
