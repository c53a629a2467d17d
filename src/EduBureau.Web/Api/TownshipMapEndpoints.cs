using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Web.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace EduBureau.Web.Api;

public static class TownshipMapEndpoints
{
    public static void MapTownshipMapEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/org/township-map", async (EduDbContext db, HttpContext http, CancellationToken ct) =>
            {
                if (await TownshipMaps.CurrentAsync(db, ct) is not { } map) return Result.NotFound(TownshipMaps.NoMap).ToProblem();
                // Boundaries change rarely and are read on every township breakdown: the browser revalidates with the
                // version (a new upload bumps it) and gets 304 without the body.
                var etag = new EntityTagHeaderValue($"\"{map.Id}-{map.Version}\"");
                http.Response.Headers.ETag = etag.ToString();
                http.Response.Headers.CacheControl = "private, no-cache";
                if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Compare(etag, useStrongComparison: false)))
                    return Results.StatusCode(StatusCodes.Status304NotModified);
                return Results.Text(map.GeoJson, "application/geo+json; charset=utf-8");
            })
            .WithSummary("本县乡镇边界（GeoJSON FeatureCollection，每个乡镇一个要素，properties.name 为乡镇名称）；未上传时 404。带 ETag，可用 If-None-Match 协商缓存");
    }
}
