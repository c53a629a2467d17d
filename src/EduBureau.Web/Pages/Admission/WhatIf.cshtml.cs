using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace EduBureau.Web.Pages.Admission;

/// <summary>One row of the comparison: pupils of a unit admitted to key high schools under A and B.</summary>
public sealed record WhatIfRow(string Unit, string Name, int Pupils, int[] A, int[] B)
{
    public int TotalA => A.Sum();
    public int TotalB => B.Sum();
}

/// <summary>
/// 方案对比: two configurations side by side — per junior school or township, how many of its pupils reach each key
/// high school (a school with 指标生 places under either configuration), in any round. A preview: both are computed
/// from the stored input and the URL, not stored (compare stored runs on /Admission/Compare).
/// </summary>
public sealed class WhatIfModel(EduDbContext db) : PageModel
{
    public AdmissionDataset Dataset { get; private set; } = null!;
    public RunSettings A { get; private set; } = new();
    public RunSettings B { get; private set; } = new();
    public Dictionary<string, string> FieldErrors { get; } = [];
    public List<string> Errors { get; } = [];
    public List<(string Code, string Name)> KeySchools { get; } = [];
    public List<WhatIfRow> Rows { get; } = [];
    [BindProperty(SupportsGet = true)] public string? Id { get; set; }
    [BindProperty(SupportsGet = true)] public string By { get; set; } = "school";
    [BindProperty(SupportsGet = true)] public string? Hs { get; set; }

    public SettingsForm FormA => new(A, "a_", FieldErrors, "方案 A");
    public SettingsForm FormB => new(B, "b_", FieldErrors, "方案 B");
    public int Selected => Hs is null ? -1 : KeySchools.FindIndex(k => k.Code == Hs);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ComputeAsync(ct) ?? Page();

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (await ComputeAsync(ct) is { } fail) return fail;
        if (Errors.Count > 0) return BadRequest(string.Join("\n", Errors));
        var rows = Rows.Select(r =>
        {
            var d = new Dictionary<string, object?> { ["单位"] = r.Unit, ["名称"] = r.Name, ["考生数"] = r.Pupils };
            for (var k = 0; k < KeySchools.Count; k++)
            {
                d[$"{KeySchools[k].Name}·A"] = r.A[k];
                d[$"{KeySchools[k].Name}·B"] = r.B[k];
            }
            d["重点高中合计·A"] = r.TotalA;
            d["重点高中合计·B"] = r.TotalB;
            d["差(B−A)"] = r.TotalB - r.TotalA;
            return d;
        }).ToList();
        var ms = new MemoryStream();
        MiniExcel.SaveAs(ms, new Dictionary<string, object>
        {
            ["方案对比"] = rows,
            ["方案说明"] = new[] { new Dictionary<string, object?> { ["方案"] = "A", ["配置"] = A.Describe() }, new Dictionary<string, object?> { ["方案"] = "B", ["配置"] = B.Describe() } },
        });
        return File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"方案对比-{Dataset.Name}.xlsx");
    }

    private async Task<IActionResult?> ComputeAsync(CancellationToken ct)
    {
        if (await AdmissionRuns.FindDatasetAsync(db, Id, ct) is not { } ds) return NotFound();
        Dataset = ds;
        A = AdmissionPages.ReadSettings(Request.Query, "a_", FieldErrors);
        B = Request.Query.Keys.Any(k => k.StartsWith("b_", StringComparison.Ordinal))
            ? AdmissionPages.ReadSettings(Request.Query, "b_", FieldErrors)
            : A with { Share = A.Share is null ? 0.5m : Math.Min(1, A.Share.Value + 0.1m) };
        if (FieldErrors.Count > 0) return null;
        var stored = await AdmissionRuns.LoadInputAsync(db, ds.Id, ct);
        AdmissionResult ra, rb;
        try
        {
            ra = AdmissionEngine.Run(stored, A.ToConfig());
        }
        catch (AdmissionInputException e) { Errors.AddRange(e.Errors.Select(x => "方案 A：" + x)); return null; }
        try
        {
            rb = AdmissionEngine.Run(stored, B.ToConfig());
        }
        catch (AdmissionInputException e) { Errors.AddRange(e.Errors.Select(x => "方案 B：" + x)); return null; }

        var input = ra.Input;
        var S = input.Plans.Count;
        var keyIndex = new int[S];
        for (var s = 0; s < S; s++)
        {
            keyIndex[s] = -1;
            if (ra.ZhibiaoPlaces(s) > 0 || rb.ZhibiaoPlaces(s) > 0)
            {
                keyIndex[s] = KeySchools.Count;
                KeySchools.Add((input.Plans[s].Code, input.Plans[s].Name));
            }
        }
        var juniors = input.JuniorSchools?.ToDictionary(j => j.Code, StringComparer.Ordinal);
        string UnitOf(Applicant a) => By == "township"
            ? (juniors is not null && juniors.TryGetValue(a.SchoolCode, out var j) ? j.Township ?? "（无乡镇）" : "（不在初中名单）")
            : a.SchoolCode;
        var rows = new SortedDictionary<string, WhatIfRow>(StringComparer.Ordinal);
        for (var i = 0; i < input.Applicants.Count; i++)
        {
            var app = input.Applicants[i];
            var u = UnitOf(app);
            if (!rows.TryGetValue(u, out var row))
            {
                var name = By == "township" ? u : juniors is not null && juniors.TryGetValue(u, out var jj) ? jj.Name : u;
                rows[u] = row = new WhatIfRow(u, name, 0, new int[KeySchools.Count], new int[KeySchools.Count]);
            }
            rows[u] = row = row with { Pupils = row.Pupils + 1 };
            if (ra.AdmittedSchoolIndex(i) is >= 0 and var sa && keyIndex[sa] >= 0) row.A[keyIndex[sa]]++;
            if (rb.AdmittedSchoolIndex(i) is >= 0 and var sb && keyIndex[sb] >= 0) row.B[keyIndex[sb]]++;
        }
        Rows.AddRange(rows.Values);
        return null;
    }
}
