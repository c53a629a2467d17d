using EduBureau.Core.Collection;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using CollectionSubmission = EduBureau.Core.Collection.Submission;

namespace EduBureau.Web.Pages.Collection;

/// <summary>One unit's part of a round: its findings, the steps the caller may take, and the history.</summary>
/// <remarks>
/// The id is also accepted as <c>?id=</c>: the notices of a return or an unlock (CollectionRounds.StepAsync) link to
/// <c>/Collection/Submission?id=N</c>, and rows with that link are already stored.
/// </remarks>
public sealed class SubmissionModel(EduDbContext db, TimeProvider systemClock, BureauTime bureauTime) : PageModel
{
    private readonly TimeProvider clock = bureauTime.Clock(systemClock);
    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }
    public CollectionSubmission Item { get; private set; } = null!;
    public IReadOnlyList<SubmissionAction> Actions { get; private set; } = [];
    public BureauTime Time => bureauTime;
    public bool Late => CollectionRounds.IsLate(Item.FirstSubmittedUtc, Item.Round.Deadline, clock);
    public bool Overdue => Item.FirstSubmittedUtc is null && CollectionRounds.Today(clock) > Item.Round.Deadline;

    /// <summary>Where the unit edits or uploads the round's data.</summary>
    public (string Href, string Label)[] DataLinks => Item.Round.Dataset switch
    {
        CollectionDataset.Students or CollectionDataset.Classes => [("/Students", "学生名册"), ("/Imports", "上传学生名册")],
        CollectionDataset.Staff => [("/Staff", "教职工名册"), ("/Imports", "上传教职工名册")],
        CollectionDataset.Conditions => [($"/Schools/Detail/{Item.UnitId}", "学校与办学条件"), ("/Imports", "上传办学条件")],
        CollectionDataset.History => [("/Imports", "上传历年在校生")],
        CollectionDataset.Form => [($"/Collection/Round/{Item.RoundId}", "下载模板或上传报表")],
        _ => [("/Imports", "上传适龄人口")],
    };

    /// <summary>A round of 自定义报表: the form, the unit's values, and whether the caller may change them now.</summary>
    public FormDefinition? Form { get; private set; }
    public Dictionary<int, FormValue> Values { get; private set; } = [];
    public string? EditRefusal { get; private set; }
    public IReadOnlyDictionary<string, string> FieldErrors { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string?>? Typed { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await CollectionRounds.FindSubmissionAsync(db, id, ct) is not { } s) return NotFound();
        Item = s;
        Actions = CollectionRounds.Offered(db.Scope, s);
        if ((Form = await Forms.OfRoundAsync(db, s.Round, ct)) is not null)
        {
            Values = await Forms.ValuesAsync(db, s.RoundId, s.UnitId, ct);
            EditRefusal = Forms.RefusalToEdit(db.Scope, s);
        }
        return Page();
    }

    /// <summary>Saves the unit's form values: all checked first, nothing saved on any error (shown next to each field).</summary>
    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostValuesAsync(long id, CancellationToken ct)
    {
        var typed = Request.Form.Where(kv => kv.Key.StartsWith("f.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[2..], kv => (string?)kv.Value.ToString());
        var r = await Forms.SaveValuesAsync(db, id, typed, ct);
        if (r.Status is ResultStatus.NotFound or ResultStatus.Forbidden) return this.ShowResult(r);
        if (!r.Succeeded)
        {
            Error = r.Message;
            FieldErrors = r.Errors;
            Typed = typed;
            db.ChangeTracker.Clear();
            return await OnGetAsync(id, ct);
        }
        Message = "报表已保存";
        return RedirectToPage(new { id });
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostAsync(long id, SubmissionAction? action, string? comment, string? explanation, CancellationToken ct)
    {
        // A missing or unknown action must not fall back to the enum's first value (提交).
        if (action is not { } step || !Enum.IsDefined(step))
        {
            Error = "请选择要办理的操作";
            return await OnGetAsync(id, ct);
        }
        var r = await CollectionRounds.StepAsync(db, id, step, comment, explanation, clock, ct);
        if (r.Status is ResultStatus.NotFound or ResultStatus.Forbidden) return this.ShowResult(r);
        if (!r.Succeeded)
        {
            Error = r.Message;
            db.ChangeTracker.Clear();
            return await OnGetAsync(id, ct);
        }
        Message = $"已{step.Zh()}，当前状态：{r.Value.Zh()}";
        return RedirectToPage(new { id });
    }
}
