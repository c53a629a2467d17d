using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Pages.Staff;

public sealed class IndexModel(EduDbContext db, CurrentView view, IStringLocalizer<SharedResource> L) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public GridPage<StaffRow> Grid { get; private set; } = null!;
    public int Year => view.Year;
    public bool CanWrite => view.Scope.CanWrite;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Grid = await SchoolGrids.Staff(L, view).PageAsync(StaffQueries.Search(db, view.Year, Q), GridQuery.From(Request), ct);
        await IdSearchAudit.LogAsync(db, view, nameof(StaffMember), Q, Grid.Total, ct);
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        await SchoolGrids.Staff(L, view).ExportPersonalAsync(db, "教职工", StaffQueries.Search(db, view.Year, Q), GridQuery.From(Request), $"教职工名单_{view.Year}.xlsx", ct);
}
