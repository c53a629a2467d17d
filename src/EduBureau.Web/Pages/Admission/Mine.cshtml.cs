using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MiniExcel = MiniExcelLibs.MiniExcel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Admission;

/// <summary>
/// 本校考生录取: a junior school (or township) sees the published outcomes of its own pupils only. Which schools are
/// "its own" comes from the scoped context (db.Schools is filtered to the user's unit), matched on 毕业学校标识码.
/// </summary>
public sealed class MineModel(EduDbContext db, IConfiguration config, DatabaseOptions dbOptions, IMemoryCache cache) : PageModel
{
    private readonly AdmissionStore _store = AdmissionStore.Create(config, dbOptions, cache);
    public IReadOnlyList<AdmissionDataset> Published { get; private set; } = [];
    public AdmissionDataset? Dataset { get; private set; }
    public string SettingsText { get; private set; } = "";
    public List<(ApplicantExplanation E, string? Batch)> Pupils { get; } = [];
    public string? Error { get; private set; }
    public int SchoolCount { get; private set; }

    /// <summary>The same rows as the page (own pupils only), as .xlsx.</summary>
    public async Task<IActionResult> OnGetExportAsync(string? id, CancellationToken ct)
    {
        await OnGetAsync(id, ct);
        if (Dataset is null) return NotFound();
        if (Error is not null) return BadRequest(Error);
        var rows = Pupils.Select(p => new Dictionary<string, object?>
        {
            ["名次"] = p.E.Rank, ["考号"] = p.E.ExamNo, ["姓名"] = p.E.Name, ["毕业学校标识码"] = p.E.JuniorSchool, ["总分"] = p.E.Total,
            ["录取学校"] = p.E.AdmittedSchoolName ?? "未录取", ["批次"] = p.Batch, ["说明"] = Reasons(p.E),
        }).ToList();
        if (rows.Count == 0) rows.Add(new Dictionary<string, object?> { ["名次"] = null, ["考号"] = null, ["姓名"] = null, ["毕业学校标识码"] = null,
            ["总分"] = null, ["录取学校"] = null, ["批次"] = null, ["说明"] = null });
        var ms = new MemoryStream();
        MiniExcel.SaveAs(ms, new Dictionary<string, object> { ["本校考生录取"] = rows });
        return File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"本校考生录取-{Dataset.Name}.xlsx");
    }

    /// <summary>Why each preference above the admitted one did not lead to admission, and the 指标生 outcome.</summary>
    public static string Reasons(ApplicantExplanation e) =>
        string.Join("；", e.Preferences.Where(p => p.Status != "录取").Select(p => $"志愿{p.Number} {p.SchoolName}：{p.Status}"))
        + (e.Zhibiao is null ? "" : "；" + e.Zhibiao);

    public async Task OnGetAsync(string? id, CancellationToken ct)
    {
        Published = _store.List().Where(d => d.Published is not null).ToList();
        Dataset = id is null ? Published.FirstOrDefault() : Published.FirstOrDefault(d => d.Id == id);
        if (Dataset is null) return;
        var codes = (await db.Schools.Select(s => s.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        SchoolCount = codes.Count;
        var settings = RunSettings.FromQuery(new QueryCollection(Dataset.Published!.Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => new Microsoft.Extensions.Primitives.StringValues(kv.Value))), "", []);
        SettingsText = settings.Describe();
        try
        {
            var r = _store.Run(Dataset, settings);
            var ranks = r.Ranks();
            var apps = r.Input.Applicants;
            foreach (var a in r.RankOrder)
                if (codes.Contains(apps[a].SchoolCode)) Pupils.Add((r.Explain(a, ranks[a]), r.BatchName(a)));
        }
        catch (AdmissionInputException e)
        {
            Error = string.Join("；", e.Errors);
        }
    }
}
