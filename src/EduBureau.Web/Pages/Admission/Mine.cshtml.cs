using EduBureau.Core.Audit;
using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace EduBureau.Web.Pages.Admission;

/// <summary>
/// 本校考生录取: a junior school (or township) sees the published outcomes of its own pupils only. Which schools are
/// "its own" comes from the scoped context (db.Schools is filtered to the user's unit), matched on 毕业学校标识码.
/// It reads the stored publication in force (never recomputes). Open to every signed-in role.
/// </summary>
public sealed class MineModel(EduDbContext db) : PageModel
{
    public IReadOnlyList<AdmissionDataset> Published { get; private set; } = [];
    public AdmissionDataset? Dataset { get; private set; }
    public string SettingsText { get; private set; } = "";
    public List<(ApplicantExplanation E, string? Batch)> Pupils { get; } = [];
    public string? Error { get; private set; }

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
        await db.AuditExportAsync("本校考生录取", Dataset.Id, Pupils.Count, ct: ct);
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
        var published = await AdmissionRuns.PublishedAsync(db, ct);
        Published = published.Select(d => d.Dataset).ToList();
        var chosen = id is null ? published.FirstOrDefault() : published.FirstOrDefault(d => d.Dataset.Id == id);
        if (chosen?.Published is not { } run) return;
        Dataset = chosen.Dataset;
        SettingsText = run.SettingsText;
        try
        {
            var stored = (await AdmissionRuns.OpenAsync(db, run.Id, ct))!;
            Pupils.AddRange(await AdmissionRuns.OwnPupilsAsync(db, stored.Result, ct));
        }
        catch (AdmissionRunException e)
        {
            Error = e.Message;
        }
    }
}
