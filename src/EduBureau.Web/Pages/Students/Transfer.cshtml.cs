using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Students;

/// <summary>转出/转入 within the county. Both schools must lie within the caller's scope (the context refuses otherwise).</summary>
public sealed class TransferModel(EduDbContext db, CurrentView view) : PageModel
{
    [BindProperty] public int? ToSchoolId { get; set; }
    [BindProperty] public string? ClassName { get; set; }
    [BindProperty] public DateOnly? Date { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public int Version { get; set; }
    public Student Student { get; private set; } = null!;
    public string StudentNoShown => view.Scope.ShowStudentNo(Student.StudentNo);
    public Enrollment? Current { get; private set; }
    public List<SelectListItem> Schools { get; private set; } = [];
    public string? Error { get; private set; }
    public int Year => view.Year;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Version = Student.Version;
        Date = view.Today < new DateOnly(Year + 1, 9, 1) ? view.Today : new DateOnly(Year + 1, 8, 31);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (ModelState.IsValid)
        {
            var result = await TransferStudent.RunAsync(db, id, view.Year, ToSchoolId, ClassName, Date, Note, Version, view.Today, ct);
            if (result.Succeeded) return Redirect($"/Students/Detail/{id}?saved=1");
            Error = result.Message;
            return this.ShowResult(result);
        }
        Error = Result.InvalidMessage;
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var s = await db.Students.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return false;
        Student = s;
        Current = await db.Enrollments.AsNoTracking().Include(e => e.School).Include(e => e.Class)
            .FirstOrDefaultAsync(e => e.StudentId == id && e.Year == view.Year, ct);
        var from = Current?.SchoolId ?? 0;
        var grade = Current?.Grade;
        var schools = await db.Schools.Where(x => x.Id != from && x.Unit.ClosedOn == null).OrderBy(x => x.Name).ToListAsync(ct);
        Schools = schools.Where(x => grade is null || GradeInfo.GradesOf(x.Level).Contains(grade.Value))
            .Select(x => new SelectListItem($"{x.Name}（{x.Code}）", x.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), x.Id == ToSchoolId)).ToList();
        return true;
    }
}
