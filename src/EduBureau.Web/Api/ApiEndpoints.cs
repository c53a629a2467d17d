namespace EduBureau.Web.Api;

public static class ApiEndpoints
{
    /// <summary>All JSON endpoints live under /api; one line per feature.</summary>
    public static void MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapCoreEndpoints();
        api.MapOrgEndpoints();
        api.MapSchoolEndpoints();
        api.MapStudentEndpoints();
        api.MapStaffEndpoints();
    }
}
