using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EduBureau.Web.Api;

public static class OrgEndpoints
{
    public static void MapOrgEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/org/tree", async Task<Ok<IReadOnlyList<OrgNode>>> (EduDbContext db, CurrentView view, int? year, bool? closed, CancellationToken ct) =>
                TypedResults.Ok(await OrgTree.BuildAsync(db, year ?? view.Year, ct, closed ?? false)))
            .WithSummary("组织机构树（当前范围），每个单位的学校数、在校生数、教职工数；closed=true 时包括已撤销的单位（closed 标记）");
    }
}
