using EduBureau.Core.Data;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Pages.Students;

[KeepWhole]
public sealed class IndexModel(EduDbContext db, CurrentView view, IStringLocalizer<SharedResource> L, RosterSearch roster) : PageModel
{
    /// <summary>Name (part of), 学籍号 or 身份证件号.</summary>
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public GridPage<StudentRow> Grid { get; private set; } = null!;
    public int Year => view.Year;
    public bool CanWrite => view.Scope.CanWrite;
    /// <summary>在校 (在读 or 休学) pupils of the year, the home page's figure: the list itself has every status (#15).</summary>
    public int InSchool { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Grid = await StudentSearch.PageAsync(db, roster, SchoolGrids.Students(L, view), view.Year, Q, GridQuery.From(Request), ct);
        // An audited search (by ID number, for a role that sees it masked) runs, and is audited, every time.
        if (!await IdSearchAudit.LogAsync(db, view, nameof(Student), Q, Grid.Total, ct)) PageCache.Allow(HttpContext);
        if (string.IsNullOrEmpty(Q)) InSchool = await db.Enrollments.InSchool(view.Year).CountAsync(ct);
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        await SchoolGrids.Students(L, view).ExportPersonalAsync(db, "学生", StudentQueries.Search(db, view.Year, Q), GridQuery.From(Request), $"学生名单_{view.Year}.xlsx", ct);
}
