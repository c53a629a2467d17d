using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace EduBureau.Web.Pages.Org;

/// <summary>新增下级单位: a township (or 街道) under a county, a school under a township.</summary>
public sealed class AddModel(EduDbContext db, CurrentView view) : OrgFormPage(db, view)
{
    public bool AddsSchool => Unit.Kind == OrgUnitKind.Township;
    public OrgUnitKind? ChildKind => ManageUnits.ChildKind(Unit.Kind);

    public async Task<IActionResult> OnGetAsync(int parent, CancellationToken ct)
    {
        if (!await LoadUnitAsync(parent, ct)) return NotFound();
        if (AddsSchool) await LoadSchoolChoicesAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int parent, CancellationToken ct)
    {
        if (!await LoadUnitAsync(parent, ct)) return NotFound();
        if (AddsSchool)
        {
            var r = await ManageUnits.AddSchoolAsync(Db, parent, School, ct);
            if (r.Succeeded) return Done($"已在{Unit.Name}下新增学校“{School.Name?.Trim()}”");
            await LoadSchoolChoicesAsync(null, ct);
            return Show(r, nameof(School));
        }
        var result = await ManageUnits.AddUnitAsync(Db, parent, Name, Code, ct);
        return result.Succeeded ? Done($"已在{Unit.Name}下新增“{Name?.Trim()}”") : Show(result);
    }
}
