using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Staff;

/// <summary>调动 within the county for the chosen school year.</summary>
public sealed class TransferModel(EduDbContext db, CurrentView view) : PageModel
{
    [BindProperty] public int? ToSchoolId { get; set; }
    [BindProperty] public int Version { get; set; }
    public StaffMember Staff { get; private set; } = null!;
    public StaffAssignment? Current { get; private set; }
    public List<SelectListItem> Schools { get; private set; } = [];
    public string? Error { get; private set; }
    public int Year => view.Year;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Version = Staff.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (ModelState.IsValid)
        {
            var result = await TransferStaff.RunAsync(db, id, view.Year, ToSchoolId, Version, ct);
            if (result.Succeeded) return Redirect($"/Staff/Detail/{id}?saved=1");
            Error = result.Message;
            return this.ShowResult(result);
        }
        Error = Result.InvalidMessage;
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var s = await db.StaffMembers.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return false;
        Staff = s;
        Current = await db.StaffAssignments.AsNoTracking().Include(a => a.School)
            .FirstOrDefaultAsync(a => a.StaffId == id && a.Year == view.Year, ct);
        var from = Current?.SchoolId ?? 0;
        Schools = await db.Schools.Where(x => x.Id != from && x.Unit.ClosedOn == null).OrderBy(x => x.Name)
            .Select(x => new SelectListItem(x.Name + "（" + x.Code + "）", x.Id.ToString(), x.Id == ToSchoolId)).ToListAsync(ct);
        return true;
    }
}
