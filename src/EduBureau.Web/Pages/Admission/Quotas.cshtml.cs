using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

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
public sealed class QuotasModel(CurrentView view, IConfiguration config, DatabaseOptions dbOptions, IMemoryCache cache) : PageModel
{
    private readonly AdmissionStore _store = AdmissionStore.Create(config, dbOptions, cache);
    public AdmissionDataset Dataset { get; private set; } = null!;
    public RunSettings Settings { get; private set; } = new();
    public Dictionary<string, string> FieldErrors { get; } = [];
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public List<(string Code, string Name, int Places)> Schools { get; } = [];
    public List<QuotaRow> Rows { get; } = [];
    public SettingsForm Form => new(Settings, "", FieldErrors, "分配配置");
    private IReadOnlyList<QuotaCell> _cells = [];
    [BindProperty(SupportsGet = true)] public string? Id { get; set; }

    public Dictionary<string, string?> Query()
    {
        var q = Settings.ToQuery();
        q["id"] = Dataset.Id;
        return q;
    }

    public IActionResult OnGet() => Compute() ?? Page();

    public IActionResult OnGetExport()
    {
        if (Compute() is { } fail) return fail;
        if (Errors.Count > 0 || FieldErrors.Count > 0) return BadRequest(string.Join("\n", Errors.Concat(FieldErrors.Values)));
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteQuotas(_cells, ms);
        return File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"指标生名额-{Dataset.Name}.xlsx");
    }

    private IActionResult? Compute()
    {
        if (!IndexModel.IsBureau(view)) return Forbid();
        if (_store.Get(Id) is not { } ds) return NotFound();
        Dataset = ds;
        Settings = RunSettings.FromQuery(Request.Query, "", FieldErrors);
        if (FieldErrors.Count > 0) return null;
        AdmissionResult r;
        try
        {
            r = _store.Run(ds, Settings);
        }
        catch (AdmissionInputException e)
        {
            Errors = e.Errors;
            return null;
        }
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
