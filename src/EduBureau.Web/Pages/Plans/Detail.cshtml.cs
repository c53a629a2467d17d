using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Plans;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Plans;

/// <summary>A plan: goals with current values and state, tasks with owners, deadlines, status, overdue flags and progress reports.</summary>
public sealed class DetailModel(EduDbContext db, CurrentView view,
    Microsoft.Extensions.Options.IOptions<Core.Indicators.IndicatorOptions> indicatorOptions) : PageModel
{
    public WorkPlan Plan { get; private set; } = null!;
    public PlanSummary Summary { get; private set; } = null!;
    public Dictionary<PlanGoal, GoalEvaluation> Goals { get; private set; } = [];
    /// <summary>The bureau's today (TimeZone:Id), not the server's: a deadline is overdue from the bureau's next day.</summary>
    public DateOnly Today => view.Today;
    public bool CanEditPlan => PlanStore.CanEdit(db, Summary.UnitPath);
    public string? Error { get; private set; }
    /// <summary>The measure just saved (after the redirect): its row says so.</summary>
    [BindProperty(SupportsGet = true)] public int? Saved { get; set; }
    public int Year => view.Year;
    private string? _department;

    /// <summary>The measure's owner (责任科室, 责任学校) and the plan's editors (a data rule: PlanProgress, enforced on save).</summary>
    public bool CanReport(PlanTask t) => PlanProgress.CanReport(db, Summary.UnitPath, t, _department);

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (await PlanStore.LoadAsync(db, id, ct: ct) is not { } loaded) return false;
        (Plan, Summary) = loaded;
        _department = await PlanProgress.DepartmentOfAsync(db, ct);
        var (_, goals) = await PlanStore.EvaluateAsync(db, Plan, view.Year, ct, indicatorOptions.Value.LevelSplit);
        Goals = goals.ToDictionary(g => g.Goal);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetExportAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var ms = new MemoryStream();
        PlanOutline.Write(ms, Plan, Goals.Values.ToList(), Today, await PlanStore.SchoolCodesAsync(db, Plan, ct));
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{Plan.Title}.xlsx");
    }

    /// <summary>Attachments are served as downloads (never rendered inline), with the stored name only.</summary>
    public async Task<IActionResult> OnGetAttachmentAsync(int id, long reportId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var taskIds = Plan.Sections.SelectMany(s => s.Tasks).Select(t => t.Id).ToList();
        var report = await db.Set<ProgressReport>().AsNoTracking()
            .Where(r => r.Id == reportId && taskIds.Contains(r.TaskId) && r.AttachmentData != null)
            .Select(r => new { r.AttachmentName, r.AttachmentData }).FirstOrDefaultAsync(ct);
        if (report is null) return NotFound();
        return File(report.AttachmentData!, "application/octet-stream", report.AttachmentName ?? "附件");
    }

    // No write policy on the two handlers below: a 科室 (read-only otherwise) reports on its own measures. Who may is
    // PlanProgress's rule, and the context refuses any other write on save.
    public async Task<IActionResult> OnPostStatusAsync(int id, int taskId, PlanTaskStatus status, DateOnly? deadline, CancellationToken ct) =>
        await ShowAsync(id, taskId, await PlanProgress.SetStatusAsync(db, id, taskId, status, deadline, ct), ct);

    public async Task<IActionResult> OnPostReportAsync(int id, int taskId, DateOnly? date, string? text, IFormFile? attachment, CancellationToken ct)
    {
        if (attachment is { Length: > ProgressReport.MaxAttachmentBytes }) return await ShowAsync(id, taskId, Result.Invalid("附件不能超过 5 MB"), ct);
        byte[]? bytes = null;
        if (attachment is { Length: > 0 })
        {
            using var ms = new MemoryStream();
            await attachment.CopyToAsync(ms, ct);
            bytes = ms.ToArray();
        }
        var result = await PlanProgress.ReportAsync(db, id, taskId, date ?? Today, text, attachment?.FileName, bytes, ct);
        return await ShowAsync(id, taskId, result, ct);
    }

    private async Task<IActionResult> ShowAsync(int id, int taskId, Result result, CancellationToken ct)
    {
        switch (result.Status)
        {
            case ResultStatus.Ok: return Redirect($"/Plans/Detail/{id}?saved={taskId}#task-{taskId}");
            case ResultStatus.NotFound: return NotFound();
            case ResultStatus.Forbidden: return Forbid();
        }
        if (!await LoadAsync(id, ct)) return NotFound();
        Error = result.Errors.Count > 0 ? string.Join("；", result.Errors.Values) : result.Message ?? Result.InvalidMessage;
        return Page();
    }
}
