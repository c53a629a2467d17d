using EduBureau.Core.Data;
using EduBureau.Core.Jobs;
using EduBureau.Core.Organization;
using EduBureau.Core.Years;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Years;

/// <summary>
/// 新学年 (bureau admin): the years with their counts, the preview of opening the next year (per township, each
/// expandable to its schools, computed here while you wait) and the button that queues the opening as a job
/// (<see cref="OpenYearJob"/>: one transaction, shown on /Jobs/Result). The job's result links back here with
/// <c>?opened=</c>, which chooses the new year in the top bar.
/// </summary>
public sealed class IndexModel(EduDbContext db, CurrentView view, JobRunner jobs) : PageModel
{
    public IReadOnlyList<YearSummary> Years { get; private set; } = [];
    /// <summary>The year the preview is for: the one after the latest year with rosters (or as asked by ?year=).</summary>
    public int? Target { get; private set; }
    public RolloverPlan? Plan { get; private set; }
    public IReadOnlyList<TownshipPreview> Townships { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Message { get; private set; }
    /// <summary>An opening queued or running now: the page links to it instead of offering a second one.</summary>
    public Job? Pending { get; private set; }

    [BindProperty] public DateOnly? GraduationDate { get; set; }
    [BindProperty] public bool Confirm { get; set; }

    public async Task OnGetAsync(int? year, int? opened, CancellationToken ct)
    {
        await LoadAsync(year, ct);
        if (opened is { } o && Years.Any(y => y.Year == o))
        {
            Message = $"已开启{o}学年，顶栏已切换到{o}–{o + 1}学年。";
            Response.Cookies.Append(CurrentView.YearCookie, o.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
        }
    }

    public async Task<IActionResult> OnPostAsync(int year, CancellationToken ct)
    {
        if (year is < 2000 or > 2100) { Error = "学年无效"; await LoadAsync(null, ct); return Page(); }
        if (!Confirm)
        {
            Error = "请先核对预览并勾选“我已核对上面的预览”";
            await LoadAsync(year, ct);
            return Page();
        }
        if (GraduationDate is { } d && (d.Year < year - 1 || d.Year > year))
        {
            Error = $"毕业日期应在 {year - 1}–{year} 年之间";
            await LoadAsync(year, ct);
            return Page();
        }
        if (view.Unit is not { } unit) return Forbid();
        // Opening a county's year writes every pupil's enrolment: a job (one transaction), not this request.
        var job = await jobs.SubmitAsync(db, jobs.Handler<OpenYearJob>(), new OpenYearJobParameters(year, GraduationDate), unit, ct);
        return Redirect($"/Jobs/Result?id={job.Id}");
    }

    private async Task LoadAsync(int? year, CancellationToken ct)
    {
        Years = await OpenSchoolYear.ListAsync(db, ct);
        Pending = await db.Jobs.AsNoTracking().Where(j => j.Kind == OpenYearJob.KindName && (j.State == JobState.Queued || j.State == JobState.Running))
            .OrderBy(j => j.Id).FirstOrDefaultAsync(ct);
        var latest = Years.Where(y => y.Pupils > 0).Select(y => (int?)y.Year).FirstOrDefault();
        Target = year ?? (latest is { } l ? l + 1 : null);
        if (Target is not { } target) return;
        Plan = await OpenSchoolYear.PreviewAsync(db, target, ct);
        GraduationDate ??= new RolloverOptions().GraduationDateFor(target);
        Townships = Plan.Townships;
    }

    public static string YearName(int y) => SchoolYear.For(y).Name;
}
