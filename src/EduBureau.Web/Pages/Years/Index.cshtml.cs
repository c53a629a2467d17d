using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Years;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Years;

/// <summary>The preview of one township: its totals and its schools.</summary>
public sealed record TownshipPreview(string Township, RolloverCounts Counts, IReadOnlyList<SchoolPreview> Schools);

/// <summary>
/// 新学年 (bureau admin): the years with their counts, the preview of opening the next year (per township, each
/// expandable to its schools) and the button that opens it. After a successful opening the new year is chosen in the top bar.
/// </summary>
public sealed class IndexModel(EduDbContext db, CurrentView view) : PageModel
{
    public IReadOnlyList<YearSummary> Years { get; private set; } = [];
    /// <summary>The year the preview is for: the one after the latest year with rosters (or as asked by ?year=).</summary>
    public int? Target { get; private set; }
    public RolloverPlan? Plan { get; private set; }
    public IReadOnlyList<TownshipPreview> Townships { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    [BindProperty] public DateOnly? GraduationDate { get; set; }
    [BindProperty] public bool Confirm { get; set; }

    public async Task OnGetAsync(int? year, int? opened, CancellationToken ct)
    {
        if (opened is { } o) Message = $"已开启{o}学年，顶栏已切换到{o}–{o + 1}学年。";
        await LoadAsync(year, ct);
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
        var result = await OpenSchoolYear.RunAsync(db, year, new RolloverOptions(GraduationDate), ct);
        if (result.Written)
        {
            view.Changes.Signal();
            Response.Cookies.Append(CurrentView.YearCookie, year.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
            return Redirect($"/Years?opened={year}");
        }
        if (result.Refused) Error = result.Message;
        else Message = result.Message;
        await LoadAsync(year, ct);
        return Page();
    }

    private async Task LoadAsync(int? year, CancellationToken ct)
    {
        Years = await OpenSchoolYear.ListAsync(db, ct);
        var latest = Years.Where(y => y.Pupils > 0).Select(y => (int?)y.Year).FirstOrDefault();
        Target = year ?? (latest is { } l ? l + 1 : null);
        if (Target is not { } target) return;
        Plan = await OpenSchoolYear.PreviewAsync(db, target, ct);
        GraduationDate ??= new RolloverOptions().GraduationDateFor(target);
        Townships = Plan.Schools.GroupBy(s => s.Township)
            .Select(g => new TownshipPreview(g.Key, g.Aggregate(RolloverCounts.Zero, (a, s) => a + s.Counts), g.ToList()))
            .ToList();
    }

    public static string YearName(int y) => SchoolYear.For(y).Name;
}
