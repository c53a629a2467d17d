using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Schools;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Pages.Schools;

public sealed class IndexModel(EduDbContext db, CurrentView view, IStringLocalizer<SharedResource> L) : PageModel
{
    public GridPage<SchoolRow> Grid { get; private set; } = null!;
    public int Year => view.Year;
    /// <summary>显示已撤销: closed schools are listed (marked 已撤销) instead of left out.</summary>
    public bool ShowClosed => Request.Query["closed"] == "1";

    private async Task<Grid<SchoolRow>> DefineAsync(CancellationToken ct) =>
        SchoolGrids.Schools(L, (await SchoolQueries.TownshipsAsync(db, ct)).Where(t => ShowClosed || t.ClosedOn == null).Select(t => t.Name),
            ShowClosed ? await OpenSchools.ClosedIdsAsync(db, ct) : null);

    private IQueryable<SchoolRow> Rows() =>
        ShowClosed ? SchoolQueries.Rows(db, view.Year) : OpenSchools.Rows(db, SchoolQueries.Rows(db, view.Year));

    public async Task OnGetAsync(CancellationToken ct) =>
        Grid = await (await DefineAsync(ct)).PageAsync(Rows(), GridQuery.From(Request), ct);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        await (await DefineAsync(ct)).ExportAsync(Rows(), GridQuery.From(Request), $"学校名单_{view.Year}.xlsx", ct);
}
