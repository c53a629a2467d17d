using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Dropout;

/// <summary>One case: details (masked per role), timeline, 劝返 step entry, attachments, closing. Every GET is audited.</summary>
public sealed class CaseModel(EduDbContext db, CurrentView view, TimeProvider systemClock, BureauTime bureauTime) : PageModel
{
    private readonly TimeProvider clock = bureauTime.Clock(systemClock);
    [TempData] public string? Message { get; set; }
    /// <summary>The step the entry form proposes: the one after the furthest recorded (③ stays ③: repeat entries are allowed).</summary>
    public PersuasionStep NextStep => Case.Steps.Count == 0 ? PersuasionStep.Visit
        : (PersuasionStep)Math.Min((int)PersuasionStep.Legal, (int)Case.Steps.Max(s => s.Step) + 1);
    public CaseView Case { get; private set; } = null!;
    public bool CanWrite => db.Scope.CanWrite;
    public bool SeesContact => ViewCase.SeesContact(view.Role);
    public string? Error { get; private set; }
    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var c = await ViewCase.RunAsync(db, id, ct);
        if (c is null) return NotFound();
        Case = c;
        return Page();
    }

    private async Task<IActionResult> DoneAsync(long id, string? error, CancellationToken ct, string? ok = null)
    {
        if (error is null)
        {
            Message = ok;
            return RedirectToPage(new { id });
        }
        Error = error;
        return await OnGetAsync(id, ct);
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostStepAsync(long id, PersuasionStep step, DateOnly date, string? people, string? action, string? result, CancellationToken ct)
    {
        var r = await DropoutLedger.AddStepAsync(db, id, step, date, people ?? "", action ?? "", result ?? "", clock, ct);
        return await DoneAsync(id, r.ErrorText(), ct, $"第{(int)step}步已保存：{step.Zh()}");
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostUpdateAsync(long id, DropoutReasonCategory reason, string? note, string? guardian, string? phone, string? village, CancellationToken ct)
    {
        // Contact details are a data rule on top of the role: only roles that contact the family see and edit them.
        if (!ViewCase.SeesContact(view.Role)) return Forbid();
        var r = await DropoutLedger.UpdateAsync(db, id, reason, note, guardian, phone, village, ct);
        return await DoneAsync(id, r.ErrorText(), ct, "原因与联系方式已保存");
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostCloseAsync(long id, CaseClosing closing, DateOnly date, string? note, CancellationToken ct)
    {
        var r = await DropoutLedger.CloseAsync(db, id, closing, date, note, clock, ct);
        return await DoneAsync(id, r.ErrorText(), ct, $"已销号（{closing.Zh()}）");
    }

    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostAttachAsync(long id, IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) return await DoneAsync(id, "请选择附件", ct);
        if (file.Length > CaseAttachment.MaxBytes) return await DoneAsync(id, $"附件不能超过 {CaseAttachment.MaxBytes / 1024 / 1024} MB", ct);
        await using var ms = new MemoryStream();
        await file.CopyToAsync(ms, ct);
        var r = await DropoutLedger.AddAttachmentAsync(db, id, file.FileName, file.ContentType, ms.ToArray(), clock, ct);
        return await DoneAsync(id, r.ErrorText(), ct, $"附件已上传：{Path.GetFileName(file.FileName)}");
    }

    /// <summary>Attachments (written orders, photos) carry the family's details: only the roles that contact the family download them.</summary>
    public async Task<IActionResult> OnGetAttachmentAsync(long id, long attachmentId, CancellationToken ct)
    {
        if (!ViewCase.SeesContact(view.Role)) return Forbid();
        var a = await db.Set<CaseAttachment>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.CaseId == id, ct);
        if (a is null) return NotFound();
        await db.AuditAsync("下载附件", nameof(CaseAttachment), a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, a.SchoolId, ct);
        return File(a.Content, "application/octet-stream", a.FileName);
    }
}
