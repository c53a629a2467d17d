using EduBureau.Core.Data;
using EduBureau.Core.Stats;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EduBureau.Web.Api;

public static class CoreEndpoints
{
    public static void MapCoreEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", async Task<Ok<YearCounts>> (EduDbContext db, CurrentView view, int? year, CancellationToken ct) =>
            TypedResults.Ok(await CountStats.ForYearAsync(db, year ?? view.Year, ct)))
            .WithSummary("学校、班级、在校生、教职工数（当前范围）");
    }
}
