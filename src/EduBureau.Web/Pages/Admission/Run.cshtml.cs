using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Admission;

/// <summary>
/// 录取结果 of one configuration: always a stored run ("run=N", or dataset + settings, stored as 草稿 when new), so
/// what the page and its downloads show is what the database keeps.
/// </summary>
public sealed class RunModel(EduDbContext db, CurrentView view) : PageModel
{
    public const int PageSize = 50;
    private RunRequest _request = null!;
    public AdmissionDataset Dataset => _request.Dataset;
    public RunSettings Settings => _request.Settings;
    public Dictionary<string, string> FieldErrors => _request.FieldErrors;
    public IReadOnlyList<string> RunErrors => _request.RunErrors;
    public AdmissionRun? Run => _request.Stored?.Run;
    public AdmissionResult? Result => _request.Stored?.Result;
    public IReadOnlyList<SchoolCutoff> Cutoffs { get; private set; } = [];
    public IReadOnlyList<ApplicantRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public Dictionary<string, int> ByBatch { get; private set; } = [];
    public SettingsForm Form => new(Settings, "", FieldErrors, "录取配置");
    public bool CanPublish => view.Role == Roles.BureauAdmin;
    public bool IsPublished => Run?.IsPublished == true;

    [BindProperty(SupportsGet = true)] public string? Exam { get; set; }
    [BindProperty(SupportsGet = true)] public string? Junior { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    /// <summary>Sort column of the applicant list: rank (default), exam, name, junior, school, batch; "-" prefix = descending.</summary>
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }

    public Dictionary<string, string?> Query()
    {
        var q = AdmissionPages.RunQuery(_request);
        q["exam"] = Exam;
        q["junior"] = Junior;
        q["outcome"] = Outcome;
        q["sort"] = Sort;
        return q;
    }

    /// <summary>The downloads' common start: a known dataset, settings that ran; else the response to send.</summary>
    private async Task<IActionResult?> RefuseUnlessRunAsync(CancellationToken ct)
    {
        if (await AdmissionPages.OpenAsync(db, view, Request, ct) is not { } request) return NotFound();
        _request = request;
        return Result is null ? BadRequest(string.Join("\n", RunErrors.Concat(FieldErrors.Values))) : null;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await AdmissionPages.OpenAsync(db, view, Request, ct) is not { } request) return NotFound();
        _request = request;
        if (Result is not { } r) return Page();
        Cutoffs = r.Cutoffs();
        var page = AdmissionRuns.Applicants(r, new ApplicantQuery(Exam, Junior, Outcome, Sort, PageNo, PageSize));
        (Rows, Total, PageNo, ByBatch) = (page.Rows, page.Total, page.Page, page.ByBatch);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (await RefuseUnlessRunAsync(ct) is { } refused) return refused;
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteResult(Result!, ms);
        await db.AuditAsync("导出", "中考录取结果", Dataset.Id, $"#{Run!.Id} {Settings.Describe()}", view.Unit?.Id, ct);
        return File(ms.ToArray(), Xlsx, $"录取结果-{Dataset.Name}.xlsx");
    }

    /// <summary>分数线 table (.xlsx): per batch and school, lowest admitted score, admitted and places.</summary>
    public async Task<IActionResult> OnGetCutoffsAsync(CancellationToken ct)
    {
        if (await RefuseUnlessRunAsync(ct) is { } refused) return refused;
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteCutoffs(Result!, ms);
        return File(ms.ToArray(), Xlsx, $"分数线-{Dataset.Name}.xlsx");
    }

    /// <summary>录取名册 of one high school (.xlsx), every batch, rank order.</summary>
    public async Task<IActionResult> OnGetRosterAsync(string? school, CancellationToken ct)
    {
        if (await RefuseUnlessRunAsync(ct) is { } refused) return refused;
        var plans = Result!.Input.Plans;
        var s = -1;
        for (var i = 0; i < plans.Count; i++) if (plans[i].Code == school) s = i;
        if (s < 0) return NotFound();
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteRoster(Result, s, ms);
        await db.AuditAsync("导出", "中考录取名册", Dataset.Id, $"{plans[s].Name}；#{Run!.Id} {Settings.Describe()}", view.Unit?.Id, ct);
        return File(ms.ToArray(), Xlsx, $"录取名册-{plans[s].Name}-{Dataset.Name}.xlsx");
    }

    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task<IActionResult> OnGetJsonAsync(CancellationToken ct)
    {
        if (await RefuseUnlessRunAsync(ct) is { } refused) return refused;
        return Content(Result!.ToJsonString(), "application/json; charset=utf-8");
    }

    public async Task<IActionResult> OnGetQuotasAsync(CancellationToken ct)
    {
        if (await RefuseUnlessRunAsync(ct) is { } refused) return refused;
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteQuotas(Result!.QuotaTable(), ms);
        return File(ms.ToArray(), Xlsx, $"指标生名额-{Dataset.Name}.xlsx");
    }
}
