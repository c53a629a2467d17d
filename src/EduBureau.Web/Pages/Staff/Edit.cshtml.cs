using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Staff;

public sealed class EditModel(EduDbContext db, CurrentView view) : StaffFormPage(db, view)
{
    public override bool IsCreate => false;
    public long Id { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var s = await Db.StaffMembers.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return NotFound();
        Form = new StaffForm
        {
            StaffNo = s.StaffNo, Name = s.Name, Gender = s.Gender, BirthDate = s.BirthDate, IdNumber = View.Scope.ShowIdNumber(s.IdNumber),
            Post = s.Post, Subject = s.Subject, Education = s.Education, PreschoolMajor = s.PreschoolMajor, Title = s.Title,
            Backbone = s.Backbone, Honors = s.Honors, WorkStart = s.WorkStart, Established = s.Established, Version = s.Version,
        };
        await LoadAsync(id, ct);
        // Written only by the unit of the current school: say so before the form is filled in.
        if (!await PersonWriteScope.MayWriteStaffAsync(Db, id, ct)) Error = PersonWriteScope.StaffOutOfReach;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        if (!ModelState.IsValid)
        {
            Error = "提交的内容有误，请按提示修改";
            return Page();
        }
        var stored = await Db.StaffMembers.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.IdNumber }).FirstOrDefaultAsync(ct);
        if (stored is null) return NotFound();
        if (!View.Scope.SeesFullIdNumbers && Form.IdNumber == IdNumber.Mask(stored.IdNumber)) Form.IdNumber = stored.IdNumber;
        var result = await EditStaff.UpdateAsync(Db, id, Form, View.Today, ct);
        if (result.Succeeded) return Redirect($"/Staff/Detail/{id}?saved=1");
        if (!View.Scope.SeesFullIdNumbers) Form.IdNumber = View.Scope.ShowIdNumber(Form.IdNumber);
        return Show(result);
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Id = id;
        SchoolName = await Db.StaffAssignments.Where(a => a.StaffId == id && a.Year == View.Year).Select(a => a.School.Name).FirstOrDefaultAsync(ct)
            ?? "（本学年无任职记录）";
        await LoadOptionsAsync(ct);
    }
}
