using EduBureau.Core.Data;
using EduBureau.Core.GoLive;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Setup;

/// <summary>开通向导: the steps of going live for the unit and school year chosen in the top bar. Bureau admin only.</summary>
public sealed class ChecklistModel(EduDbContext db, CurrentView view) : PageModel
{
    public IReadOnlyList<ChecklistStep> Steps { get; private set; } = [];
    public int Year => view.Year;
    public string UnitName => view.Unit?.Name ?? "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (view.Unit is not { } unit) return;
        Steps = SetupChecklist.Evaluate(await SetupChecklist.LoadAsync(db, unit.Id, view.Year, ct));
    }
}
