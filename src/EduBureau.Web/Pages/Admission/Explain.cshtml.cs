using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Admission;

/// <summary>录取说明 of one applicant, from the stored run's explanation codes.</summary>
public sealed class ExplainModel(EduDbContext db, CurrentView view) : PageModel
{
    private RunRequest _request = null!;
    public AdmissionDataset Dataset => _request.Dataset;
    public RunSettings Settings => _request.Settings;
    public AdmissionRun? Run => _request.Stored?.Run;
    public ApplicantExplanation? Explanation { get; private set; }
    public string? Error { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Exam { get; set; }

    public Dictionary<string, string?> Query() => AdmissionPages.RunQuery(_request);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await AdmissionPages.OpenAsync(db, view, Request, ct) is not { } request) return NotFound();
        _request = request;
        if (request.Stored is not { } stored)
        {
            Error = string.Join("；", request.FieldErrors.Values.Concat(request.RunErrors));
            return Page();
        }
        var i = Exam is null ? -1 : stored.Result.IndexOf(Exam.Trim());
        if (i < 0) Error = $"考号 {Exam} 不在考生名单中";
        else Explanation = stored.Result.Explain(i);
        return Page();
    }
}
