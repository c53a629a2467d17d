using EduBureau.Core.Data;
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

    private async Task<Grid<SchoolRow>> DefineAsync(CancellationToken ct) =>
        SchoolGrids.Schools(L, (await SchoolQueries.TownshipsAsync(db, ct)).Select(t => t.Name));

    public async Task OnGetAsync(CancellationToken ct) =>
        Grid = await (await DefineAsync(ct)).PageAsync(SchoolQueries.Rows(db, view.Year), GridQuery.From(Request), ct);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        await (await DefineAsync(ct)).ExportAsync(SchoolQueries.Rows(db, view.Year), GridQuery.From(Request), $"学校名单_{view.Year}.xlsx", ct);
}
