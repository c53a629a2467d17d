using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Org;

/// <summary>
/// What the /Org editing pages share: bureau admin only (PagePolicies; everyone else gets 403 on GET and POST alike), the unit being
/// edited, the 学校 fields, field errors next to their fields, and the message after a save.
/// </summary>
public abstract class OrgFormPage(EduDbContext db, CurrentView view) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public SchoolForm School { get; set; } = new();
    public OrgUnit Unit { get; protected set; } = null!;
    public string? Error { get; protected set; }
    public List<SelectListItem> ParentSchools { get; private set; } = [];
    protected EduDbContext Db => db;
    protected CurrentView View => view;

    protected async Task<bool> LoadUnitAsync(int id, CancellationToken ct)
    {
        var u = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (u is null) return false;
        Unit = u;
        return true;
    }

    /// <summary>Open schools for 上级学校 (a 教学点's 中心校).</summary>
    protected async Task LoadSchoolChoicesAsync(int? except, CancellationToken ct) =>
        ParentSchools = [.. (await OpenSchools.ChoicesAsync(db, except, ct)).Select(s => new SelectListItem(s.Label, s.Id.ToString(), s.Id == School.ParentSchoolId))];

    /// <summary>A saved change: the tree shows what was done (the context's commit already expired cached units and counts).</summary>
    protected IActionResult Done(string message)
    {
        TempData["OrgMessage"] = message;
        return Redirect("/Org");
    }

    /// <summary>Puts a failed result on the page (ResultPages): field messages next to their fields, the summary on top.</summary>
    protected IActionResult Show(Result r, string prefix = "")
    {
        Error = r.Message;
        return this.ShowResult(r, prefix);
    }
}
