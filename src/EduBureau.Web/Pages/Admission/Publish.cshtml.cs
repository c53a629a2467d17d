using EduBureau.Core.Admission;
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
        try
        {
            var published = await AdmissionRuns.PublishAsync(db, run, view.UserName, ct);
            await db.AuditAsync("发布", "中考录取结果", published.DatasetId, $"#{published.Id} {published.SettingsText}", view.Unit?.Id, ct);
            return Redirect($"/Admission/Run?run={published.Id}");
        }
        catch (AdmissionRunException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
    }
}
