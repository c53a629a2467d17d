using EduBureau.Core.Data;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Students;

public sealed class DetailModel(EduDbContext db, CurrentView view) : PageModel
{
    public Student Student { get; private set; } = null!;
    public IReadOnlyDictionary<int, string> SchoolNames { get; private set; } = new Dictionary<int, string>();
    public CurrentView View => view;
    [BindProperty(SupportsGet = true)] public string? Saved { get; set; }

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
        return Page();
    }
}
