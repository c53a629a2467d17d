using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages.Admission;

/// <summary>One allocation unit's row of the quota table: graduates and places per key high school (column order).</summary>
public sealed record QuotaRow(string Unit, string Name, int Graduates, int[] Places)
{
    public int Total => Places.Sum();
}

/// <summary>
/// 指标生名额分配表: each unit's (junior school or township) 指标生 places per key high school under a configuration,
/// proportional to 九年级 graduates with largest-remainder rounding (or as given in the workbook's 指标生名额 sheet).
/// Exportable in the quotas.xlsx layout that <c>edu admission run --quotas</c> reads back.
/// </summary>
public sealed class QuotasModel(EduDbContext db, CurrentView view) : PageModel
{
    private RunRequest _request = null!;
    public AdmissionDataset Dataset => _request.Dataset;
    public RunSettings Settings => _request.Settings;
    public Dictionary<string, string> FieldErrors => _request.FieldErrors;
    public IReadOnlyList<string> Errors => _request.RunErrors;
    public List<(string Code, string Name, int Places)> Schools { get; } = [];
    public List<QuotaRow> Rows { get; } = [];
    public SettingsForm Form => new(Settings, "", FieldErrors, "分配配置");
    private IReadOnlyList<QuotaCell> _cells = [];

    public Dictionary<string, string?> Query() => AdmissionPages.RunQuery(_request);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ComputeAsync(ct) ?? Page();

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (await ComputeAsync(ct) is { } fail) return fail;
        if (Errors.Count > 0 || FieldErrors.Count > 0) return BadRequest(string.Join("\n", Errors.Concat(FieldErrors.Values)));
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteQuotas(_cells, ms);
        return File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"指标生名额-{Dataset.Name}.xlsx");
    }

    /// <summary>The quota table of the stored run (the same one the Run page shows for these settings).</summary>
    private async Task<IActionResult?> ComputeAsync(CancellationToken ct)
    {
        if (await AdmissionPages.OpenAsync(db, view, Request, ct) is not { } request) return NotFound();
        _request = request;
        if (request.Stored?.Result is not { } r) return null;
        _cells = r.QuotaTable();
        var col = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < r.Input.Plans.Count; s++)
            if (r.ZhibiaoPlaces(s) > 0)
            {
                col[r.Input.Plans[s].Code] = Schools.Count;
                Schools.Add((r.Input.Plans[s].Code, r.Input.Plans[s].Name, r.ZhibiaoPlaces(s)));
            }
        var rows = r.Units.Select(u => new QuotaRow(u.Unit, u.Name, u.Graduates, new int[Schools.Count])).ToList();
        var rowOf = rows.Select((x, i) => (x.Unit, i)).ToDictionary(x => x.Unit, x => x.i, StringComparer.Ordinal);
        foreach (var c in _cells)
            if (rowOf.TryGetValue(c.Unit, out var i) && col.TryGetValue(c.SchoolCode, out var k)) rows[i].Places[k] += c.Places;
        Rows.AddRange(rows);
        return null;
    }
}
