using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Api;

public static class ExamEndpoints
{
    public static void MapExamEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/exams/{id:int}/analysis", async Task<Results<Ok<List<ExamJsonRow>>, ProblemHttpResult>> (int id, string? level, int? vs,
                EduDbContext db, IMemoryCache cache, IOptions<CacheOptions> cacheOptions, Core.Figures.FigureStore figures, CancellationToken ct) =>
            {
                ExamLevel? lv = null;
                if (level is { Length: > 0 })
                {
                    if (!ExamReport.TryParseLevel(level, out var parsed))
                        return Result.Invalid("level 应为 county、township、urbanRural、school、class 或 teacher").ToProblem();
                    lv = parsed;
                }
                ExamView? view;
                try { view = await new ExamAccess(db, cache, figures, TimeSpan.FromMinutes(cacheOptions.Value.ExamReportMinutes)).LoadAsync(id, vs, ct: ct); }
                catch (ExamException e) { return Result.Invalid(e.Message).ToProblem(); }
                if (view is null) return Result.NotFound("考试不存在").ToProblem();
                // Same rule as the pages: a user who does not cover the exam's unit gets the county figures and its own
                // schools and classes, nothing named of other schools, no township/城乡/teacher cuts.
                var rows = view.Result.Rows.Where(r => lv is null || r.Level == lv).Where(r => view.SeesAll || r.Level switch
                {
                    ExamLevel.County => true,
                    ExamLevel.School => view.CanSeeSchool(r.UnitIndex),
                    ExamLevel.Class => view.CanSeeSchool(view.Data.Classes[r.UnitIndex].School),
                    _ => false,
                }).ToHashSet();
                return TypedResults.Ok(view.Report.JsonRows().Where((_, i) => rows.Contains(view.Result.Rows[i])).ToList());
            })
            .WithSummary("考试质量分析（与 edu exam analyse --format json 同列；level 选层级，vs 为参照考试；学校用户只得全县与本校）");
    }
}
