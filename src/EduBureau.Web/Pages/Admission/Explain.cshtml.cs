using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Admission;

public sealed class ExplainModel(CurrentView view, IConfiguration config, DatabaseOptions dbOptions, IMemoryCache cache) : PageModel
{
    private readonly AdmissionStore _store = AdmissionStore.Create(config, dbOptions, cache);
    public AdmissionDataset Dataset { get; private set; } = null!;
    public RunSettings Settings { get; private set; } = new();
    public ApplicantExplanation? Explanation { get; private set; }
    public string? Error { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Exam { get; set; }

    public IActionResult OnGet()
    {
        if (!IndexModel.IsBureau(view)) return Forbid();
        if (_store.Get(Id) is not { } ds) return NotFound();
        Dataset = ds;
        var errors = new Dictionary<string, string>();
        Settings = RunSettings.FromQuery(Request.Query, "", errors);
        if (errors.Count > 0) { Error = string.Join("；", errors.Values); return Page(); }
        try
        {
            var r = _store.Run(ds, Settings);
            var i = Exam is null ? -1 : r.IndexOf(Exam.Trim());
            if (i < 0) Error = $"考号 {Exam} 不在考生名单中";
            else Explanation = r.Explain(i);
        }
        catch (AdmissionInputException e)
        {
            Error = string.Join("；", e.Errors);
        }
        return Page();
    }
}
