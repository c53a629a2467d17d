using EduBureau.Core.Data;
using EduBureau.Core.Jobs;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Jobs;

/// <summary>
/// One job of any kind, read from its row (so it survives a restart): progress while 排队/运行中 (the page refreshes
/// itself), then its kind's summary lines, the error, and the produced file. Visible within the unit scope (another
/// unit's job is a 404, as for imports); the produced file goes to the owner alone.
/// </summary>
public sealed class ResultModel(EduDbContext db, CurrentView view, JobRunner jobs) : PageModel
{
    public JobView View { get; private set; } = null!;
    public Job Job => View.Job;
    public bool IsOwner => View.Job.IsOwnedBy(view.Scope.Actor);
    public bool CanDownload => IsOwner && Job.ErrorWorkbookPath is not null && View.Summary.DownloadName is not null;
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? cancel, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } job) return NotFound();
        View = await JobView.WithPositionAsync(db, job, jobs, ct);
        if (cancel == "busy") Message = "已请求取消：数据库正忙，任务将在开始前取消。";
        return Page();
    }

    /// <summary>The file the job produced (a report), for its owner only: it may name what others must not see.</summary>
    public async Task<IActionResult> OnGetFileAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } job) return NotFound();
        View = JobView.Of(job, jobs);
        if (!IsOwner) return Forbid();
        if (!CanDownload || jobs.FullPath(job.ErrorWorkbookPath) is not { } path || !System.IO.File.Exists(path)) return NotFound();
        var name = View.Summary.DownloadName!;
        if (!new FileExtensionContentTypeProvider().TryGetContentType(name, out var type)) type = "application/octet-stream";
        return PhysicalFile(path, type, name);
    }

    /// <summary>The job through the scoped context: outside the viewer's unit it does not exist.</summary>
    private Task<Job?> FindAsync(int id, CancellationToken ct) => db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
}
