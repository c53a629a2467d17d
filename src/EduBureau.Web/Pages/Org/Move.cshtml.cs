using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Org;

/// <summary>迁移: a township to another county, a school to another township, with everything below it.</summary>
public sealed class MoveModel(EduDbContext db, CurrentView view) : OrgFormPage(db, view)
{
    [BindProperty] public int? ParentId { get; set; }
    public string? ParentName { get; private set; }
    public List<SelectListItem> Parents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var r = await ManageUnits.MoveAsync(Db, id, ParentId, ct);
        return r.Succeeded ? Done($"已将{Unit.Name}迁移到{Parents.FirstOrDefault(p => p.Value == ParentId?.ToString())?.Text}") : Show(r);
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (!await LoadUnitAsync(id, ct)) return false;
        ParentName = Unit.ParentId is { } p ? await Db.OrgUnits.CountyWide().Where(u => u.Id == p).Select(u => u.Name).FirstOrDefaultAsync(ct) : null;
        // Open units of a kind this one may sit under, outside its own subtree, other than its current parent.
        var path = Unit.Path;
        var kinds = Enum.GetValues<OrgUnitKind>().Where(k => OrgRules.CanSitUnder(Unit.Kind, k)).ToList();
        var units = await Db.OrgUnits.Where(u => kinds.Contains(u.Kind) && u.ClosedOn == null && !u.Path.StartsWith(path) && u.Id != Unit.ParentId)
            .OrderBy(u => u.Path).Select(u => new { u.Id, u.Name, u.Kind, u.Code }).ToListAsync(ct);
        Parents = [.. units.Select(u => new SelectListItem($"{u.Name}（{u.Kind.Zh()}{(u.Code is null ? "" : " " + u.Code)}）", u.Id.ToString(), u.Id == ParentId))];
        return true;
    }
}
