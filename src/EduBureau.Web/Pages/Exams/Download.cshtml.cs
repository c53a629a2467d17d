using EduBureau.Core.Audit;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Exams;

/// <summary>
/// The .xlsx workbook (streamed) and the .docx report (a job: <see cref="ExamReportJob"/>, downloaded from
/// /Jobs/Result by its owner). They name every school, so only users who see the whole exam get them.
/// </summary>
public sealed class DownloadModel(EduDbContext db, IMemoryCache cache, CurrentView view, JobRunner jobs) : ExamPageModel(db, cache)
{
    /// <summary>Queues the Word report for the signed-in user and shows its progress.</summary>
    public async Task<IActionResult> OnPostDocxAsync(int id, int? vs, CancellationToken ct)
    {
        // County-wide: the exam's unit is usually the county, above a school's scope; narrowed by Covers just below.
        var exam = await Db.Set<Exam>().CountyWide().Where(e => e.Id == id)
            .Select(e => new { e.Name, e.ScopeUnit.Path }).FirstOrDefaultAsync(ct);
        if (exam is null) return NotFound();
        if (!view.Scope.Covers(exam.Path) || view.Unit is not { } unit) return Forbid();
        var job = await jobs.SubmitAsync(Db, jobs.Handler<ExamReportJob>(), new ExamReportJobParameters(id, vs, exam.Name), unit, ct);
        return Redirect($"/Jobs/Result?id={job.Id}");
    }

    public async Task<IActionResult> OnGetAsync(int id, string kind, int? vs, CancellationToken ct)
    {
        // The Word report is no longer streamed here: its button on the overview queues it (POST above).
        if (kind == "docx") return RedirectToPage("Overview", new { id, vs });
        if (await LoadAsync(id, vs, ct: ct) is { } fail) return fail;
        if (!View.SeesAll) return Forbid();
        var dir = Path.Combine(Path.GetTempPath(), "edu-report", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "report.xlsx");
            ExamWorkbook.Write(View.Report, path);
            var bytes = await System.IO.File.ReadAllBytesAsync(path, ct);
            // The workbook lists 临界生 by name: a personal-data export, audited like the rosters.
            await Db.AuditExportAsync("考试质量分析", id.ToString(System.Globalization.CultureInfo.InvariantCulture), View.Report.CriticalPupils.Count, ct: ct);
            return File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{View.Report.Exam.Name}_质量分析.xlsx");
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
    }
}
