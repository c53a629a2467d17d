using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Students;

/// <summary>What the create and edit pages share: the posted form, the drop-downs and the mapping of errors to fields.</summary>
public abstract class StudentFormPage(EduDbContext db, CurrentView view) : PageModel
{
    [BindProperty] public StudentForm Form { get; set; } = new();
    public abstract bool IsCreate { get; }
    public int Year => view.Year;
    public string? Error { get; protected set; }
    public string? SchoolName { get; protected set; }
    public List<SelectListItem> Schools { get; private set; } = [];
    public List<SelectListItem> Grades { get; private set; } = [];
    public List<string> ClassNames { get; private set; } = [];
    /// <summary>The pupil's 民族 as stored (edit): offered even when it is not in the list, so it is kept, not lost.</summary>
    public string? StoredEthnicity { get; protected set; }
    protected EduDbContext Db => db;

    /// <summary>民族 drop-down: the list (GB/T 3304 order), plus a stored or posted value outside it, marked as such.</summary>
    public IEnumerable<SelectListItem> EthnicityOptions()
    {
        var selected = Core.Common.PersonChecks.Clean(Form.Ethnicity);
        foreach (var extra in new[] { StoredEthnicity, selected }.Where(v => !string.IsNullOrEmpty(v) && !Ethnicities.IsKnown(v)).Distinct())
            yield return new SelectListItem($"{extra}（原登记值，不在列表中）", extra, extra == selected);
        foreach (var name in Ethnicities.All) yield return new SelectListItem(name, name, name == selected);
    }
    protected CurrentView View => view;

    public static IEnumerable<SelectListItem> Options<T>(T? selected) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => new SelectListItem(v.Zh(), Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture), selected is { } s && s.Equals(v)));

    protected async Task LoadOptionsAsync(CancellationToken ct)
    {
        Schools = await db.Schools.Where(s => s.Unit.ClosedOn == null || s.Id == Form.SchoolId).OrderBy(s => s.Name)
            .Select(s => new SelectListItem(s.Name + "（" + s.Code + "）", s.Id.ToString())).ToListAsync(ct);
        var level = Form.SchoolId is { } sid ? await db.Schools.Where(s => s.Id == sid).Select(s => (SchoolLevel?)s.Level).FirstOrDefaultAsync(ct) : null;
        var grades = level is { } l ? GradeInfo.GradesOf(l) : Enum.GetValues<Grade>();
        Grades = grades.Select(g => new SelectListItem(g.Zh(), ((int)g).ToString(System.Globalization.CultureInfo.InvariantCulture), g == Form.Grade)).ToList();
        if (Form.SchoolId is { } school)
            ClassNames = await db.Classes.Where(c => c.SchoolId == school && c.Year == view.Year).OrderBy(c => c.Grade).ThenBy(c => c.Name)
                .Select(c => c.Name).ToListAsync(ct);
    }

    /// <summary>Puts a failed result on the page (ResultPages): field messages next to their fields, the summary on top.</summary>
    protected IActionResult Show(Result r)
    {
        Error = r.Message;
        return this.ShowResult(r, nameof(Form));
    }
}
