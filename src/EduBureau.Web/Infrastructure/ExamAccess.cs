using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using EduBureau.Core.Figures;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// An exam's report as the current user may see it. The analysis is always county-wide (a school is compared with the
/// county), but a user whose rights do not cover the exam's unit sees only the schools within its rights by name;
/// other schools appear as “其他学校 N” in rankings, and their classes and pupils are not shown at all.
/// </summary>
public sealed class ExamView
{
    public required ExamReport Report { get; init; }
    /// <summary>School indices (in <see cref="ExamData.Schools"/>) the user may see by name.</summary>
    public required HashSet<int> Visible { get; init; }
    /// <summary>True when the user's rights cover the exam's whole unit (county): everything is named.</summary>
    public required bool SeesAll { get; init; }
    /// <summary>When the exam's stored scores were read (ADR 0012).</summary>
    public FigureTime? Computed { get; init; }

    public ExamAnalysisResult Result => Report.Result;
    public ExamData Data => Report.Result.Data;

    public bool CanSeeSchool(int school) => SeesAll || Visible.Contains(school);

    /// <summary>A school's name, or an anonymous label numbered by its county rank on 总分.</summary>
    public string SchoolName(int school)
    {
        if (CanSeeSchool(school)) return Data.Schools[school].Name;
        var order = Result.Level(ExamLevel.School).Where(r => r.SubjectIndex == Result.TotalIndex && !CanSeeSchool(r.UnitIndex))
            .OrderBy(r => r.Rank ?? int.MaxValue).ThenBy(r => r.UnitIndex).Select(r => r.UnitIndex).ToList();
        return $"其他学校 {order.IndexOf(school) + 1}";
    }

    public int SchoolIndexOf(int schoolId) => Array.FindIndex(Data.Schools, s => s.SchoolId == schoolId);
}

public sealed class ExamAccess(EduDbContext db, IMemoryCache cache, FigureStore figures, TimeSpan? lifetime = null)
{
    /// <summary>
    /// Loads and applies the user's rights. The scores come stored (<see cref="ExamFigures.Data"/>, loaded once per change
    /// of the data, ADR 0012); the analysis of them is kept in memory per stored version while it is read (sliding
    /// Cache:ExamReportMinutes, default a minute). The 临界生 line is typed by the user: it is not part of the key; the
    /// list is picked from the cached report.
    /// </summary>
    public async Task<ExamView?> LoadAsync(int examId, int? vs = null, CriticalOptions? critical = null, CancellationToken ct = default)
    {
        // Exams and their subjects are not scoped (a school sees the county's exams): no bypass needed.
        if (!await db.Set<Exam>().AnyAsync(e => e.Id == examId, ct)) return null;
        if (vs == examId) throw new ExamException("参照考试不能是本次考试本身");
        // vs must name an existing exam (else the load throws and nothing is cached), so keys stay few.
        if (vs is { } v && !await db.Set<Exam>().AnyAsync(e => e.Id == v, ct)) throw new ExamException($"考试 {v} 不存在");
        // County-wide: the stored scores are the whole exam's, not the ones this user sees.
        var data = await figures.GetAsync(ExamFigures.Data, examId, db, ct);
        var before = vs is { } b ? await figures.GetAsync(ExamFigures.Data, b, db, ct) : null;
        var key = ("exam-report", examId, vs, data.Version, data.ComputedUtc.Ticks, before?.ComputedUtc.Ticks);
        var cached = await cache.GetOrCreateAsync(key, async e =>
        {
            e.SlidingExpiration = lifetime ?? TimeSpan.FromMinutes(new Infrastructure.CacheOptions().ExamReportMinutes);
            var exam = await ExamStore.GetAsync(db, examId, ct);
            (Exam, ExamData)? compared = before is null ? null : (await ExamStore.GetAsync(db, vs!.Value, ct), before.Value);
            var built = ExamReport.Build(exam, data.Value, compared);
            e.Size = Infrastructure.CacheSizes.Of(built);
            return built;
        });
        var report = critical is null ? cached! : cached!.WithCritical(critical);
        var visibleIds = (await db.Schools.Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var visible = Enumerable.Range(0, report.Result.Data.Schools.Length)
            .Where(i => report.Result.Data.Schools[i].SchoolId is { } id && visibleIds.Contains(id)).ToHashSet();
        return new ExamView { Report = report, Visible = visible, SeesAll = db.Scope.Covers(report.Exam.ScopeUnit.Path), Computed = FigureTime.Of(data, report.Exam.Year) };
    }
}
