using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace EduBureau.Web.Pages.Org;

/// <summary>Rename a region (and its 行政区划代码); for a school, its name, 学校标识码, attributes and 学区/集团.</summary>
public sealed class EditModel(EduDbContext db, CurrentView view) : OrgFormPage(db, view)
{
    public bool IsSchool => Unit.Kind == OrgUnitKind.School;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadUnitAsync(id, ct)) return NotFound();
        if (IsSchool)
        {
            School = await ManageUnits.SchoolFormAsync(Db, id, ct) ?? new SchoolForm();
            await LoadSchoolChoicesAsync(id, ct);
        }
        else
        {
            Name = Unit.Name;
            Code = Unit.Code;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadUnitAsync(id, ct)) return NotFound();
        if (IsSchool)
        {
            var r = await ManageUnits.EditSchoolAsync(Db, id, School, ct);
            if (r.Succeeded) return Done($"已保存{School.Name?.Trim()}的学校信息");
            await LoadSchoolChoicesAsync(id, ct);
            return Show(r, nameof(School));
        }
        var result = await ManageUnits.RenameAsync(Db, id, Name, Code, ct);
        return result.Succeeded ? Done($"已保存{Name?.Trim()}") : Show(result);
    }
}
