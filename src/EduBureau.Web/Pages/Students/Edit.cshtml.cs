using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Students;

public sealed class EditModel(EduDbContext db, CurrentView view) : StudentFormPage(db, view)
{
    public override bool IsCreate => false;
    public long Id { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var s = await Db.Students.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return NotFound();
        var e = await Db.Enrollments.AsNoTracking().Include(x => x.Class).FirstOrDefaultAsync(x => x.StudentId == id && x.Year == View.Year, ct);
        Form = new StudentForm
        {
            StudentNo = View.Scope.ShowStudentNo(s.StudentNo), Name = s.Name, Gender = s.Gender, BirthDate = s.BirthDate,
            // Roles that see masked numbers edit around the mask: an unchanged mask keeps the stored number.
            IdNumber = View.Scope.ShowIdNumber(s.IdNumber), Ethnicity = s.Ethnicity, HouseholdTownship = s.HouseholdTownship,
            SchoolId = e?.SchoolId, Grade = e?.Grade, ClassName = e?.Class?.Name, Version = s.Version,
            Disability = s.Disability, GuardianName = s.GuardianName, GuardianRelation = s.GuardianRelation, GuardianPhone = s.GuardianPhone,
        };
        if (e is not null)
        {
            Form.Boarding = e.Boarding;
            (Form.PovertyRegistered, Form.SubsistenceAllowance, Form.ExtremePoverty, Form.Orphan, Form.LeftBehind, Form.Migrant, Form.HomeSchooling) =
                (e.PovertyRegistered, e.SubsistenceAllowance, e.ExtremePoverty, e.Orphan, e.LeftBehind, e.Migrant, e.HomeSchooling);
        }
        StoredEthnicity = s.Ethnicity;
        await LoadAsync(id, ct);
        // A pupil who moved on is read here but written only by his current school: say so before the form is filled in.
        if (!await PersonWriteScope.MayWriteStudentAsync(Db, id, ct)) Error = PersonWriteScope.StudentOutOfReach;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Error = "提交的内容有误，请按提示修改";
            await LoadAsync(id, ct);
            return Page();
        }
        var stored = await Db.Students.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.IdNumber, x.StudentNo }).FirstOrDefaultAsync(ct);
        if (stored is null) return NotFound();
        if (!View.Scope.SeesFullIdNumbers && Form.IdNumber == IdNumber.Mask(stored.IdNumber)) Form.IdNumber = stored.IdNumber;
        // Likewise a 全国学籍号 shown masked (it embeds the 身份证件号).
        if (Form.StudentNo == View.Scope.ShowStudentNo(stored.StudentNo)) Form.StudentNo = stored.StudentNo;
        var result = await EditStudent.UpdateAsync(Db, id, Form, View.Year, View.Today, ct);
        if (result.Succeeded) return Redirect($"/Students/Detail/{id}?saved=1");
        await LoadAsync(id, ct);
        if (!View.Scope.SeesFullIdNumbers)
        {
            Form.IdNumber = View.Scope.ShowIdNumber(Form.IdNumber);
            Form.StudentNo = View.Scope.ShowStudentNo(Form.StudentNo);
        }
        return Show(result);
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Id = id;
        if (Form.SchoolId is null)
            Form.SchoolId = await Db.Enrollments.Where(x => x.StudentId == id && x.Year == View.Year).Select(x => (int?)x.SchoolId).FirstOrDefaultAsync(ct);
        StoredEthnicity ??= await Db.Students.Where(x => x.Id == id).Select(x => x.Ethnicity).FirstOrDefaultAsync(ct);
        SchoolName = Form.SchoolId is { } sid ? await Db.Schools.Where(x => x.Id == sid).Select(x => x.Name).FirstOrDefaultAsync(ct) : "（本学年无学籍）";
        await LoadOptionsAsync(ct);
    }
}
