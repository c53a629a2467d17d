using System.Diagnostics.CodeAnalysis;
using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Admission;

public sealed record ApplicantRow(int Index, int Rank, string ExamNo, string Name, string JuniorSchool, decimal Total, string? School, string? Batch);

public sealed class RunModel(EduDbContext db, CurrentView view, IConfiguration config, DatabaseOptions dbOptions, IMemoryCache cache, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;
    private readonly AdmissionStore _store = AdmissionStore.Create(config, dbOptions, cache);
    public AdmissionDataset Dataset { get; private set; } = null!;
    public RunSettings Settings { get; private set; } = new();
    public Dictionary<string, string> FieldErrors { get; } = [];
    public IReadOnlyList<string> RunErrors { get; private set; } = [];
    public AdmissionResult? Result { get; private set; }
    public IReadOnlyList<SchoolCutoff> Cutoffs { get; private set; } = [];
    public IReadOnlyList<ApplicantRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public Dictionary<string, int> ByBatch { get; private set; } = [];
    public SettingsForm Form => new(Settings, "", FieldErrors, "录取配置");
    public bool CanPublish => view.Role == Roles.BureauAdmin;
    public bool IsPublished => Dataset.Published is { } p && RunSettingsKey(p) == Settings.Key;

    [BindProperty(SupportsGet = true)] public string? Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Exam { get; set; }
    [BindProperty(SupportsGet = true)] public string? Junior { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    /// <summary>Sort column of the applicant list: rank (default), exam, name, junior, school, batch; "-" prefix = descending.</summary>
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }

    public Dictionary<string, string?> Query(object? extra = null)
    {
        var q = Settings.ToQuery();
        q["id"] = Dataset.Id;
        q["exam"] = Exam;
        q["junior"] = Junior;
        q["outcome"] = Outcome;
        q["sort"] = Sort;
        return q;
    }

    private bool Load()
    {
        if (!IndexModel.IsBureau(view) || _store.Get(Id) is not { } ds) return false;
        Dataset = ds;
        Settings = RunSettings.FromQuery(Request.Query, "", FieldErrors);
        if (FieldErrors.Count > 0) return true;
        try
        {
            Result = _store.Run(ds, Settings);
        }
        catch (AdmissionInputException e)
        {
            RunErrors = e.Errors;
        }
        return true;
    }

    /// <summary>The downloads' common start: bureau users only, a known dataset, settings that ran (else false, with the response to send).</summary>
    [MemberNotNullWhen(true, nameof(Result))]
    private bool TryLoadForDownload([NotNullWhen(false)] out IActionResult? refused)
    {
        refused = !IndexModel.IsBureau(view) ? Forbid()
            : !Load() ? NotFound()
            : Result is null ? BadRequest(string.Join("\n", RunErrors.Concat(FieldErrors.Values)))
            : null;
        return refused is null;
    }

    public IActionResult OnGet()
    {
        if (!IndexModel.IsBureau(view)) return Forbid();
        if (!Load()) return NotFound();
        if (Result is not { } r) return Page();
        Cutoffs = r.Cutoffs();
        for (var a = 0; a < r.ApplicantCount; a++)
        {
            var key = r.BatchName(a) ?? "未录取";
            ByBatch[key] = ByBatch.GetValueOrDefault(key) + 1;
        }
        var apps = r.Input.Applicants;
        var filtered = new List<int>();
        var rank = 0;
        var ranks = new Dictionary<int, int>();
        foreach (var a in r.RankOrder)
        {
            rank++;
            if (Exam is { Length: > 0 } e && !apps[a].ExamNo.Contains(e, StringComparison.Ordinal) && !apps[a].Name.Contains(e, StringComparison.Ordinal)) continue;
            if (Junior is { Length: > 0 } j && apps[a].SchoolCode != j) continue;
            if (Outcome == "none" && r.AdmittedSchoolIndex(a) >= 0) continue;
            if (Outcome == "zhibiao" && r.Round(a) != AdmissionLabels.Zhibiao) continue;
            if (Outcome == "tongzhao" && r.Round(a) != AdmissionLabels.Tongzhao) continue;
            filtered.Add(a);
            ranks[a] = rank;
        }
        var desc = Sort?.StartsWith('-') == true;
        Func<int, string>? sortKey = Sort?.TrimStart('-') switch
        {
            "exam" => a => apps[a].ExamNo,
            "name" => a => apps[a].Name,
            "junior" => a => apps[a].SchoolCode,
            "school" => a => r.AdmittedSchoolIndex(a) is >= 0 and var s ? r.Input.Plans[s].Name : "\uffff",
            "batch" => a => r.BatchName(a) ?? "\uffff",
            _ => null,
        };
        // Stable sorts: ties keep rank order.
        if (sortKey is not null) filtered = (desc ? filtered.OrderByDescending(sortKey, StringComparer.Ordinal) : filtered.OrderBy(sortKey, StringComparer.Ordinal)).ToList();
        else if (desc) filtered.Reverse();
        Total = filtered.Count;
        PageNo = Math.Clamp(PageNo, 1, Math.Max(1, (Total + PageSize - 1) / PageSize));
        Rows = filtered.Skip((PageNo - 1) * PageSize).Take(PageSize).Select(a =>
        {
            var s = r.AdmittedSchoolIndex(a);
            return new ApplicantRow(a, ranks[a], apps[a].ExamNo, apps[a].Name, apps[a].SchoolCode, apps[a].Total,
                s >= 0 ? r.Input.Plans[s].Name : null, r.BatchName(a));
        }).ToList();
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (!TryLoadForDownload(out var refused)) return refused;
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteResult(Result, ms);
        await db.AuditAsync("导出", "中考录取结果", Dataset.Id, Settings.Describe(), view.Unit?.Id, ct);
        return File(ms.ToArray(), Xlsx, $"录取结果-{Dataset.Name}.xlsx");
    }

    /// <summary>分数线 table (.xlsx): per batch and school, lowest admitted score, admitted and places.</summary>
    public IActionResult OnGetCutoffs()
    {
        if (!TryLoadForDownload(out var refused)) return refused;
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteCutoffs(Result, ms);
        return File(ms.ToArray(), Xlsx, $"分数线-{Dataset.Name}.xlsx");
    }

    /// <summary>录取名册 of one high school (.xlsx), every batch, rank order.</summary>
    public async Task<IActionResult> OnGetRosterAsync(string? school, CancellationToken ct)
    {
        if (!TryLoadForDownload(out var refused)) return refused;
        var plans = Result.Input.Plans;
        var s = -1;
        for (var i = 0; i < plans.Count; i++) if (plans[i].Code == school) s = i;
        if (s < 0) return NotFound();
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteRoster(Result, s, ms);
        await db.AuditAsync("导出", "中考录取名册", Dataset.Id, $"{plans[s].Name}；{Settings.Describe()}", view.Unit?.Id, ct);
        return File(ms.ToArray(), Xlsx, $"录取名册-{plans[s].Name}-{Dataset.Name}.xlsx");
    }

    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public IActionResult OnGetJson()
    {
        if (!TryLoadForDownload(out var refused)) return refused;
        return Content(Result.ToJsonString(), "application/json; charset=utf-8");
    }

    public IActionResult OnGetQuotas()
    {
        if (!TryLoadForDownload(out var refused)) return refused;
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteQuotas(Result.QuotaTable(), ms);
        return File(ms.ToArray(), Xlsx, $"指标生名额-{Dataset.Name}.xlsx");
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken ct)
    {
        if (view.Role != Roles.BureauAdmin) return Forbid();
        if (!Load()) return NotFound();
        if (Result is null) return BadRequest();
        _store.Publish(Dataset, Settings, view.UserName, clock.GetUtcNow().UtcDateTime);
        await db.AuditAsync("发布", "中考录取结果", Dataset.Id, Settings.Describe(), view.Unit?.Id, ct);
        return Redirect($"/Admission/Run{QueryString.Create(Query())}");
    }

    internal static string RunSettingsKey(Dictionary<string, string?> published)
    {
        var errors = new Dictionary<string, string>();
        var q = new QueryCollection(published.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => new Microsoft.Extensions.Primitives.StringValues(kv.Value)));
        return RunSettings.FromQuery(q, "", errors).Key;
    }
}
