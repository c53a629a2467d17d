using EduBureau.Core.Data;
using EduBureau.Core.Jobs;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Imports;

/// <summary>
/// One import job, read from its row (so it survives a restart): progress while 排队/运行中 (the page refreshes
/// itself), then the stored counts, summary and first findings. Visible within the unit scope (the job table's
/// query filter: another school's job is a 404); the error workbook, which holds the original rows, goes to the
/// owner or to a role that sees full ID numbers.
/// </summary>
public sealed class ResultModel(EduDbContext db, CurrentView view, JobRunner jobs) : PageModel
{
    public ImportJobView View { get; private set; } = null!;
    public Job Job => View.Job;
    public JobProgress? Progress { get; private set; }
    public bool IsOwner => Job.IsOwnedBy(view.Scope.Actor);
    public bool CanDownload => Job.ErrorWorkbookPath is not null && (IsOwner || view.Scope.SeesFullIdNumbers);
    public string? Message { get; private set; }
    /// <summary>For a queued import: "排队中：前面还有 N 个任务".</summary>
    public string? Queued { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? cancel, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } job) return NotFound();
        View = ImportJobView.Of(job);
        Progress = jobs.ProgressOf(job);
        if (job.State == JobState.Queued) Queued = JobStore.QueuedText(await JobStore.AheadAsync(db, job.Id, ct));
        if (cancel == "busy") Message = "已请求取消：数据库正忙，任务将在开始前取消。";
        return Page();
    }

    /// <summary>The owner cancels a queued job (it becomes 已取消) or a running one (its import rolls back, then 已取消).</summary>
    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostCancelAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } job) return NotFound();
        if (!job.IsOwnedBy(view.Scope.Actor)) return Forbid();
        // False: another job holds SQLite's write lock; the runner cancels this one instead of starting it.
        var busy = await jobs.CancelAsync(db, job, ct) ? null : "busy";
        return RedirectToPage("Result", new { id, cancel = busy });
    }

    public async Task<IActionResult> OnGetErrorsAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } job) return NotFound();
        View = ImportJobView.Of(job);
        if (!CanDownload || jobs.FullPath(job.ErrorWorkbookPath) is not { } path || !System.IO.File.Exists(path)) return NotFound();
        return PhysicalFile(path, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "错误清单.xlsx");
    }

    /// <summary>A finding's value as this viewer may see it: ID numbers and 学籍号 masked for roles that do not see them.</summary>
    public string? ShowValue(JobIssue issue) =>
        issue.Value is null || view.Scope.SeesFullIdNumbers ? issue.Value
        : issue.Column.Contains("证件号", StringComparison.Ordinal) ? view.Scope.ShowIdNumber(issue.Value)
        : issue.Column.Contains("学籍号", StringComparison.Ordinal) ? view.Scope.ShowStudentNo(issue.Value)
        : issue.Value;

    /// <summary>The job through the scoped context: outside the viewer's unit it does not exist.</summary>
    private Task<Job?> FindAsync(int id, CancellationToken ct) =>
        db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && j.Kind == JobKinds.Import, ct);
}
