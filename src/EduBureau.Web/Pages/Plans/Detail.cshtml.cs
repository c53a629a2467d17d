using EduBureau.Core.Data;
using EduBureau.Core.Plans;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Plans;

/// <summary>A plan: goals with current values and state, tasks with owners, deadlines, status, overdue flags and progress reports.</summary>
public sealed class DetailModel(EduDbContext db, CurrentView view, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Core.Indicators.IndicatorOptions> indicatorOptions) : PageModel
{
    public WorkPlan Plan { get; private set; } = null!;
    public PlanSummary Summary { get; private set; } = null!;
    public Dictionary<PlanGoal, GoalEvaluation> Goals { get; private set; } = [];
    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
    public bool CanEditPlan => PlanStore.CanEdit(db, Summary.UnitPath);
    public string? Error { get; private set; }
    public int Year => view.Year;

    /// <summary>The plan's editors, and a school (or township) writer for tasks its own school owns (a data rule: PlanStore).</summary>
    public bool CanReport(PlanTask t) => PlanStore.CanReport(db, Summary.UnitPath, t);

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (await PlanStore.LoadAsync(db, id, ct: ct) is not { } loaded) return false;
        (Plan, Summary) = loaded;
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

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostStatusAsync(int id, int taskId, PlanTaskStatus status, DateOnly? deadline, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var task = Plan.Sections.SelectMany(s => s.Tasks).FirstOrDefault(t => t.Id == taskId);
        if (task is null) return NotFound();
        if (!CanReport(task)) return Forbid();
        if (!Enum.IsDefined(status)) { Error = "状态无效"; return Page(); }
        var tracked = await db.Set<PlanTask>().SingleAsync(t => t.Id == taskId, ct);
        tracked.Status = status;
        if (CanEditPlan) tracked.Deadline = deadline;
        await db.SaveChangesAsync(ct);
        return Redirect($"/Plans/Detail/{id}#task-{taskId}");
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostReportAsync(int id, int taskId, DateOnly? date, string? text, IFormFile? attachment, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var task = Plan.Sections.SelectMany(s => s.Tasks).FirstOrDefault(t => t.Id == taskId);
        if (task is null) return NotFound();
        if (!CanReport(task)) return Forbid();
        if (string.IsNullOrWhiteSpace(text)) Error = "请填写进展情况";
        else if (text.Length > 4000) Error = "进展情况不能超过 4000 字";
        else if (attachment is { Length: > ProgressReport.MaxAttachmentBytes }) Error = "附件不能超过 5 MB";
        if (Error is not null) return Page();
        var report = new ProgressReport { TaskId = taskId, Date = date ?? Today, Text = text!.Trim(), Author = view.UserName };
        if (attachment is { Length: > 0 })
        {
            var name = new string(Path.GetFileName(attachment.FileName).Where(c => !char.IsControl(c) && c is not ('"' or '\\' or '/')).ToArray());
            report.AttachmentName = name.Length == 0 ? "附件" : name[..Math.Min(200, name.Length)];
            using var ms = new MemoryStream();
            await attachment.CopyToAsync(ms, ct);
            report.AttachmentData = ms.ToArray();
        }
        db.Set<ProgressReport>().Add(report);
        await db.SaveChangesAsync(ct);
        return Redirect($"/Plans/Detail/{id}#task-{taskId}");
    }
}
