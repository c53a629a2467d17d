using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using EduBureau.Core.Exams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace EduBureau.Web.Pages.Exams;

/// <summary>Shared by the exam pages: loads the report as the user may see it, and the list of exams to compare with.</summary>
public abstract class ExamPageModel(EduDbContext db, IMemoryCache cache) : PageModel
{
    protected EduDbContext Db => db;
    public ExamView View { get; private set; } = null!;
    public string? Error { get; protected set; }
    public List<(int Id, string Name)> OtherExams { get; private set; } = [];

    protected async Task<IActionResult?> LoadAsync(int id, int? vs = null, CriticalOptions? critical = null, CancellationToken ct = default)
    {
        try
        {
            var v = await Access.LoadAsync(id, vs, critical, ct);
            if (v is null) return NotFound();
            View = v;
        }
        catch (ExamException e)
        {
            // E.g. a comparison exam that does not exist: show the exam without it and say why.
            Error = e.Message;
            var v = await Access.LoadAsync(id, null, null, ct);
            if (v is null) return NotFound();
            View = v;
        }
        OtherExams = [.. (await db.Set<Exam>().Where(e => e.Id != id).OrderByDescending(e => e.Date)
            .Select(e => new { e.Id, e.Name, e.Grade, e.Year }).ToListAsync(ct)).Select(e => (e.Id, $"{e.Name}（{e.Year}–{e.Year + 1}）"))];
        return null;
    }

    public static string F1(double? v) => ExamReport.F1(v);

    /// <summary>Configuration Cache:ExamReportMinutes (resolved here so the pages deriving from this keep their constructors).</summary>
    /// <summary>Cached reports also expire when data changes (<see cref="DataChanges"/>): a re-import, a renamed school.</summary>
    private ExamAccess Access => new(db, cache, HttpContext.RequestServices.GetRequiredService<Core.Figures.FigureStore>(), ReportCache);

    private TimeSpan ReportCache => TimeSpan.FromMinutes(HttpContext.RequestServices
        .GetRequiredService<Microsoft.Extensions.Options.IOptions<Infrastructure.CacheOptions>>().Value.ExamReportMinutes);
}
