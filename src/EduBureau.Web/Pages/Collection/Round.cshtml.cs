using EduBureau.Core.Audit;
using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Quality;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Pages.Collection;

/// <summary>One round: every unit in the caller's scope by township, where it stands, on time or late, and its findings.</summary>
public sealed class RoundModel(EduDbContext db, TimeProvider systemClock, BureauTime bureauTime) : PageModel
{
    private readonly TimeProvider clock = bureauTime.Clock(systemClock);
    [TempData] public string? Message { get; set; }
    public CollectionRound Round { get; private set; } = null!;
    public List<SubmissionRow> Rows { get; private set; } = [];
    public List<SubmissionRow> Shown { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public SubmissionState? State { get; set; }
    public DateOnly Today => CollectionRounds.Today(clock);
    public BureauTime Time => bureauTime;
    /// <summary>A round of 自定义报表: its form and every school's values in scope.</summary>
    public FormDefinition? Form { get; private set; }
    public List<FormResultRow> Results { get; private set; } = [];
    public List<string> UploadErrors { get; } = [];
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await CollectionRounds.FindAsync(db, id, ct) is not { } round) return NotFound();
        Round = round;
        Rows = await CollectionRounds.BoardAsync(db, round, clock, ct);
        if (Rows.Count == 0) return NotFound(); // a round none of the caller's units reports to
        Shown = State is { } s ? Rows.Where(r => r.State == s).ToList() : Rows;
        if ((Form = await Forms.OfRoundAsync(db, round, ct)) is { } form) Results = await Forms.ResultsAsync(db, round, form, ct);
        return Page();
    }

    /// <summary>The form's results in scope as .xlsx; with <paramref name="template"/> the same layout to fill in and upload.</summary>
    public async Task<IActionResult> OnGetWorkbookAsync(int id, bool template, CancellationToken ct)
    {
        if (await CollectionRounds.FindAsync(db, id, ct) is not { } round || await Forms.OfRoundAsync(db, round, ct) is not { } form) return NotFound();
        var rows = await Forms.ResultsAsync(db, round, form, ct);
        if (rows.Count == 0) return NotFound();
        var ms = new MemoryStream();
        Forms.WriteWorkbook(ms, form, rows, withState: !template);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{round.Title}{(template ? "_填报模板" : "_汇总")}.xlsx");
    }

    /// <summary>A filled template: every row checked, nothing saved on any error (file, row and column named).</summary>
    [HandlerPolicy(WebSetup.WritePolicy)]
    public async Task<IActionResult> OnPostUploadAsync(int id, CancellationToken ct)
    {
        if (Upload is null || Upload.Length == 0) UploadErrors.Add("请选择填好的报表文件（.xlsx）");
        else if (Upload.Length > 10 * 1024 * 1024) UploadErrors.Add($"文件“{Upload.FileName}”超过 10 MB");
        if (UploadErrors.Count == 0)
        {
            await using var stream = Upload!.OpenReadStream();
            var r = await Forms.ImportAsync(db, id, stream, Path.GetFileName(Upload.FileName), ct);
            if (r.Status is Core.Common.ResultStatus.NotFound) return NotFound();
            if (r.Succeeded)
            {
                Message = $"已导入 {r.Value} 所学校的报表";
                return RedirectToPage(new { id });
            }
            UploadErrors.AddRange(r.Problems());
        }
        db.ChangeTracker.Clear();
        return await OnGetAsync(id, ct);
    }

    /// <summary>The findings of the last checks of every unit in scope, as .xlsx (学校, 规则, 级别, 说明, 预警说明).</summary>
    public async Task<IActionResult> OnGetFindingsAsync(int id, CancellationToken ct)
    {
        if (await CollectionRounds.FindAsync(db, id, ct) is not { } round) return NotFound();
        // A join, not SelectMany over s.Findings with s.Unit inside: that needs SQL APPLY, which SQLite has not (500 on the
        // embedded database). The submissions are the scoped side, so a caller sees only the findings of its own units.
        var rows = await (from s in db.Set<Submission>().AsNoTracking().Where(s => s.RoundId == id)
                          join f in db.Set<SubmissionFinding>().AsNoTracking() on s.Id equals f.SubmissionId
                          select new { Unit = s.Unit.Name, s.Unit.Code, Rule = f.RuleName ?? f.Rule, f.Severity, f.Message, s.Explanation, s.State })
            .ToListAsync(ct);
        // The findings name pupils (学籍号 masked) in the age checks: an export of personal data, audited.
        await db.AuditExportAsync("数据质量问题清单", round.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), rows.Count, round.Title, ct);
        var ms = new MemoryStream();
        using (var x = new XlsxWriter(ms))
        {
            x.StartSheet("问题清单", [28, 14, 24, 8, 60, 40, 12], [1]);
            x.WriteRow(["学校", "学校标识码", "规则", "级别", "说明", "预警说明", "填报状态"], bold: true);
            foreach (var r in rows.OrderBy(r => r.Code, StringComparer.Ordinal).ThenByDescending(r => r.Severity))
                x.WriteRow([r.Unit, r.Code, QualityRuleNames.Zh(r.Rule), r.Severity.Zh(), r.Message, r.Explanation, r.State.Zh()]);
            x.EndSheet();
        }
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{round.Title}_问题清单.xlsx");
    }
}
