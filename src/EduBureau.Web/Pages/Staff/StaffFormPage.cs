using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Staff;

public abstract class StaffFormPage(EduDbContext db, CurrentView view) : PageModel
{
    [BindProperty] public StaffForm Form { get; set; } = new();
    public abstract bool IsCreate { get; }
    public int Year => view.Year;
    public string? Error { get; protected set; }
    public string? SchoolName { get; protected set; }
    public List<SelectListItem> Schools { get; private set; } = [];
    protected EduDbContext Db => db;
    protected CurrentView View => view;

    protected async Task LoadOptionsAsync(CancellationToken ct) =>
        Schools = await db.Schools.Where(s => s.Unit.ClosedOn == null || s.Id == Form.SchoolId).OrderBy(s => s.Name).Select(s => new SelectListItem(s.Name + "（" + s.Code + "）", s.Id.ToString())).ToListAsync(ct);

    /// <summary>Puts a failed result on the page (ResultPages): field messages next to their fields, the summary on top.</summary>
    protected IActionResult Show(Result r)
    {
        Error = r.Message;
        return this.ShowResult(r, nameof(Form));
    }
}
