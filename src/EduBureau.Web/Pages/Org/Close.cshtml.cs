using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Org;

/// <summary>撤销 a unit, or 撤并 a school into another (its 在校 pupils and staff move there).</summary>
public sealed class CloseModel(EduDbContext db, CurrentView view) : OrgFormPage(db, view)
{
    [BindProperty] public int? MergeIntoId { get; set; }
    public int? Year { get; private set; }
    public int Pupils { get; private set; }
    public int Staff { get; private set; }
    public List<SelectListItem> Destinations { get; private set; } = [];
    public bool IsSchool => Unit.Kind == OrgUnitKind.School;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var r = await ManageUnits.CloseAsync(Db, id, MergeIntoId, View.Today, ct);
        return r.Succeeded ? Done(r.Message ?? $"{Unit.Name}已撤销") : Show(r);
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (!await LoadUnitAsync(id, ct)) return false;
        if (!IsSchool) return true;
        Year = await ManageUnits.CurrentYearAsync(Db, ct);
        if (Year is { } y) (Pupils, Staff) = await ManageUnits.HeadCountAsync(Db, id, y, ct);
        var county = await Db.Schools.Where(s => s.Id == id).Select(s => s.CountyId).FirstAsync(ct);
        Destinations = [.. (await Db.Schools.Where(s => s.Unit.ClosedOn == null && s.Id != id && s.CountyId == county).OrderBy(s => s.Name)
                .Select(s => new { s.Id, s.Name, s.Code, s.Level }).ToListAsync(ct))
            .Select(s => new SelectListItem($"{s.Name}（{s.Code}，{s.Level.Zh()}）", s.Id.ToString(), s.Id == MergeIntoId))];
        return true;
    }
}
