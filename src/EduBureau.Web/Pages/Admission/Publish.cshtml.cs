using EduBureau.Core.Admission;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Admission;

/// <summary>发布 (局管理员 only): POST run=N publishes that stored run, then shows it; a refusal is shown on this page.</summary>
public sealed class PublishModel(EduDbContext db, CurrentView view) : PageModel
{
    public string? Error { get; private set; }

    public IActionResult OnGet() => Redirect("/Admission/Runs");

    public async Task<IActionResult> OnPostAsync(int run, CancellationToken ct)
    {
        var result = await AdmissionRuns.PublishAsync(db, run, view.UserName, ct);
        if (result.Value is not { } published)
        {
            // A refusal (unknown run, the publication already in force) is shown here with its status code.
            Error = result.ErrorText();
            Response.StatusCode = result.Status == ResultStatus.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;
            return Page();
        }
        await db.AuditAsync("发布", "中考录取结果", published.DatasetId, $"#{published.Id} {published.SettingsText}", view.Unit?.Id, ct);
        return Redirect($"/Admission/Run?run={published.Id}");
    }
}
