using EduBureau.Core.Aid;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Exams;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Students;

/// <summary>An exam the pupil sat, with the class page that lists his scores.</summary>
public sealed record PupilExam(int ExamId, string Name, DateOnly Date, int SchoolId, string ClassName);

/// <summary>One aid payment to the pupil.</summary>
public sealed record PupilAid(int Year, int Term, string Program, decimal Amount, string School);

/// <summary>A 控辍保学 case of the pupil.</summary>
public sealed record PupilCase(long Id, int Year, CaseStatus Status, DateOnly OpenedOn);

public sealed class DetailModel(EduDbContext db, CurrentView view) : PageModel
{
    public Student Student { get; private set; } = null!;
    public IReadOnlyDictionary<int, string> SchoolNames { get; private set; } = new Dictionary<int, string>();
    public CurrentView View => view;
    [BindProperty(SupportsGet = true)] public string? Saved { get; set; }
    public List<PupilExam> Exams { get; private set; } = [];
    public List<PupilAid> Aid { get; private set; } = [];
    public List<PupilCase> Cases { get; private set; } = [];
    /// <summary>Guardian's name and phone as this role may see them (科室 and 督学 do not contact families: masked).</summary>
    public string GuardianName => ViewCase.SeesContact(view.Role) ? Student.GuardianName ?? "" : ViewCase.MaskName(Student.GuardianName);
    public string GuardianPhone => ViewCase.SeesContact(view.Role) ? Student.GuardianPhone ?? "" : ViewCase.MaskPhone(Student.GuardianPhone);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        // The context shows only pupils (and enrollments) within the caller's scope: another school's pupil is "not found".
        var student = await db.Students.AsNoTracking()
            .Include(s => s.Enrollments).ThenInclude(e => e.School)
            .Include(s => s.Enrollments).ThenInclude(e => e.Class)
            .Include(s => s.StatusEvents)
            .AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == id, ct);
        if (student is null) return NotFound();
        Student = student;
        // Names only, for the history lines (the other school of a transfer may lie outside the scope).
        var ids = student.StatusEvents.SelectMany(e => new[] { e.SchoolId, e.OtherSchoolId ?? 0 }).Where(i => i != 0).Distinct().ToList();
        SchoolNames = await db.Schools.CountyWide().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);

        // Scores, payments and cases are school-scoped: only those of schools within the user's rights appear, so every
        // link below leads to a page the user may open.
        var sat = await db.Set<Score>().AsNoTracking().Where(s => s.StudentId == id)
            .Select(s => new { s.ExamId, s.SchoolId, s.ClassName }).Distinct().ToListAsync(ct);
        var examIds = sat.Select(s => s.ExamId).Distinct().ToList();
        var exams = await db.Set<Exam>().AsNoTracking().Where(e => examIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        Exams = sat.GroupBy(s => s.ExamId).Where(g => exams.ContainsKey(g.Key))
            .Select(g => new PupilExam(g.Key, exams[g.Key].Name, exams[g.Key].Date, g.First().SchoolId, g.First().ClassName))
            .OrderByDescending(e => e.Date).ThenByDescending(e => e.ExamId).ToList();
        Aid = await db.Set<AidDisbursement>().AsNoTracking().Where(a => a.StudentId == id)
            .OrderByDescending(a => a.Year).ThenByDescending(a => a.Term).ThenBy(a => a.Id)
            .Select(a => new PupilAid(a.Year, a.Term, a.Program.Name, a.Amount, a.School.Name)).ToListAsync(ct);
        Cases = await db.Set<DropoutCase>().AsNoTracking().Where(c => c.StudentId == id).OrderByDescending(c => c.Id)
            .Select(c => new PupilCase(c.Id, c.Year, c.Status, c.OpenedOn)).ToListAsync(ct);
        return Page();
    }
}
