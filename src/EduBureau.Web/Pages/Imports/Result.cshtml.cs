using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Imports;

public sealed class ResultModel(CurrentView view) : PageModel
{
    public ImportJob Job { get; private set; } = null!;

    public IActionResult OnGet(string id)
    {
        if (ImportJobs.Find(id, view.Scope.Actor) is not { } job) return NotFound();
        Job = job;
        return Page();
    }

    public IActionResult OnGetErrors(string id)
    {
        if (ImportJobs.Find(id, view.Scope.Actor) is not { ErrorWorkbookPath: { } path } || !System.IO.File.Exists(path)) return NotFound();
        return PhysicalFile(path, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "错误清单.xlsx");
    }
}
