using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Staff;

public sealed class DetailModel(EduDbContext db, CurrentView view) : PageModel
{
    public StaffMember Staff { get; private set; } = null!;
    public CurrentView View => view;
    [BindProperty(SupportsGet = true)] public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var s = await db.StaffMembers.AsNoTracking().Include(x => x.Assignments).ThenInclude(a => a.School)
            .FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return NotFound();
        Staff = s;
        return Page();
    }
}
