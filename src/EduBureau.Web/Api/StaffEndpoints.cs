using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Staff;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Api;

public sealed record StaffDto(long Id, string StaffNo, string Name, string Gender, DateOnly BirthDate, string IdNumber, int SchoolId, string School,
    string Post, string? Subject, string Education, string Title, bool Established);

public static class StaffEndpoints
{
    public static void MapStaffEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/staff", async Task<Ok<Paged<StaffDto>>> (HttpRequest request, string? q, EduDbContext db, CurrentView view,
                IStringLocalizer<SharedResource> L, CancellationToken ct) =>
            {
                var page = await SchoolGrids.Staff(L, view).PageAsync(StaffQueries.Search(db, view.Year, q), GridQuery.From(request), ct);
                await IdSearchAudit.LogAsync(db, view, nameof(StaffMember), q, page.Total, ct);
                return TypedResults.Ok(ApiPaging.Map(page, s => new StaffDto(s.Id, s.StaffNo, s.Name, s.Gender.Zh(), s.BirthDate,
                    view.Scope.ShowIdNumber(s.IdNumber), s.SchoolId, s.School, s.Post.Zh(), s.Subject, s.Education.Zh(), s.Title.Zh(), s.Established)));
            })
            .WithSummary("查找教职工（q：姓名、教职工号或身份证件号；分页）");
    }
}
