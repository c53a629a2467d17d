using EduBureau.Core.Data;
using EduBureau.Core.Figures;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Figures;

/// <summary>重新计算: queues the job that computes every stored figure of a school year anew (局管理员 only, PagePolicies).</summary>
public sealed class RecomputeModel(EduDbContext db, CurrentView view, JobRunner jobs) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(int year, CancellationToken ct)
    {
        if (year is < 2000 or > 2100) return BadRequest();
        if (view.Unit is not { } unit) return Forbid();
        var job = await jobs.SubmitAsync(db, jobs.Handler<RecomputeFiguresJob>(), new RecomputeFiguresParameters(year), unit, ct);
        return Redirect($"/Jobs/Result?id={job.Id}");
    }
}
