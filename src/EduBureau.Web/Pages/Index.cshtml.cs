using EduBureau.Core.Data;
using EduBureau.Core.Stats;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages;

public sealed class IndexModel(EduDbContext db, CurrentView view) : PageModel
{
    public YearCounts Counts { get; private set; } = null!;
    public int Year => view.Year;
    public string UnitName => view.Unit?.Name ?? "";

    public async Task OnGetAsync(CancellationToken ct) => Counts = await CountStats.ForYearAsync(db, view.Year, ct);
}
