using EduBureau.Core.Data;
using EduBureau.Core.Jobs;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Jobs;

/// <summary>
/// 我的任务: the signed-in user's jobs of every kind, newest first, paged; a 局管理员 may list every job of the scope
/// (<c>?all=1</c>). The owner cancels a queued or running one here.
/// </summary>
public sealed class IndexModel(EduDbContext db, CurrentView view, JobRunner jobs) : PageModel
{
    public const int PageSize = 30;

    public IReadOnlyList<JobView> Jobs { get; private set; } = [];
    public int PageNumber { get; private set; } = 1;
    public bool HasNext { get; private set; }
    /// <summary>Everyone's jobs (局管理员 only).</summary>
    public bool All { get; private set; }
    public bool MaySeeAll => view.Scope.Role == Roles.BureauAdmin;
    public string Actor => view.Scope.Actor;
    public string? Message { get; private set; }

    public async Task OnGetAsync(int page = 1, bool all = false, string? cancel = null, CancellationToken ct = default)
    {
        PageNumber = Math.Max(1, page);
        All = all && MaySeeAll;
        if (cancel == "busy") Message = "已请求取消：数据库正忙，任务将在开始前取消。";
        var (rows, more) = await JobStore.PageAsync(db, All ? null : view.Scope.Actor, PageNumber, PageSize, ct);
        var views = new List<JobView>(rows.Count);
        foreach (var j in rows) views.Add(await JobView.WithPositionAsync(db, j, jobs, ct));
        Jobs = views;
        HasNext = more;
    }

    /// <summary>The owner cancels a queued job (已取消 at once) or a running one (its transaction rolls back, then 已取消).</summary>
    public async Task<IActionResult> OnPostCancelAsync(int id, string? back, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return NotFound();
        if (!job.IsOwnedBy(view.Scope.Actor)) return Forbid();
        var busy = await jobs.CancelAsync(db, job, ct) ? null : "busy";
        // Back to the result page when cancelled there, else to the list.
        return back == "result" ? RedirectToPage("Result", new { id, cancel = busy }) : RedirectToPage("Index", new { cancel = busy });
    }
}
