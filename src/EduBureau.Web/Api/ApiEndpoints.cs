using EduBureau.Web.Infrastructure;

namespace EduBureau.Web.Api;

public static class ApiEndpoints
{
    /// <summary>
    /// All JSON endpoints live under /api; one line per feature. Who may call what is declared here, on groups: today's
    /// endpoints are reads for every signed-in role (their data narrowed by scope in the context); a feature that adds
    /// writes maps them on a group of its own, e.g. <c>api.MapGroup("").RequireAuthorization(WebSetup.WritePolicy)</c>.
    /// Expected failures are answered with <c>ResultProblems.ToProblem</c>.
    /// </summary>
    public static void MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(WebSetup.ReadPolicy);
        api.MapCoreEndpoints();
        api.MapOrgEndpoints();
        api.MapSchoolEndpoints();
        api.MapStudentEndpoints();
        api.MapStaffEndpoints();
        api.MapTownshipMapEndpoints();
        api.MapExamEndpoints();
        api.MapCollectionEndpoints();
    }
}
