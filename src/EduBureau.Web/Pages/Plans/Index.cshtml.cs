using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Plans;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Plans;

/// <summary>Work plans visible from the chosen unit, and the .xlsx outline import for the unit's own plan.</summary>
public sealed class IndexModel(EduDbContext db, CurrentView view) : PageModel
{
    public List<PlanSummary> Plans { get; private set; } = [];
    public List<string> Errors { get; } = [];
    public int Year => view.Year;
    /// <summary>Plans belong to a county or city; a township or school user reads its county's plan.</summary>
    public bool CanImport => view.Unit is { Kind: OrgUnitKind.County or OrgUnitKind.City or OrgUnitKind.Province } u && PlanStore.CanEdit(db, u.Path);

    [BindProperty] public int ImportYear { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public bool Replace { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        ImportYear = view.Year;
        Plans = await PlanStore.VisibleAsync(db, ct: ct);
    }

    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        if (!CanImport) return Forbid();
        if (Upload is null || Upload.Length == 0) Errors.Add("请选择工作计划提纲文件（.xlsx）");
        else if (!Upload.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) Errors.Add($"文件“{Upload.FileName}”不是 .xlsx 工作簿");
        else if (Upload.Length > 5 * 1024 * 1024) Errors.Add($"文件“{Upload.FileName}”超过 5 MB");
        if (ImportYear is < 2000 or > 2100) Errors.Add("计划学年无效");
        if (Errors.Count == 0)
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Id == view.Unit!.Id, ct);
            using var ms = new MemoryStream();
            await Upload!.CopyToAsync(ms, ct);
            ms.Position = 0;
            var result = await PlanStore.ImportAsync(db, ms, Path.GetFileName(Upload.FileName), ImportYear, unit, Title, Replace, ct);
            if (result.PlanId is { } id) return Redirect($"/Plans/Detail/{id}");
            Errors.AddRange(result.Errors);
        }
        Plans = await PlanStore.VisibleAsync(db, ct: ct);
        return Page();
    }
}
