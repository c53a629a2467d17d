using EduBureau.Core.Organization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Schools;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Api;

public sealed record SchoolDto(int Id, string Code, string Name, string Level, string Ownership, bool Inclusive, string Township,
    string UrbanRural, bool Boarding, int Classes, int Students, int Staff);

public sealed record ClassDto(int Id, string Grade, string Name, int Size, string? SizeBand);

public sealed record SchoolDetailDto(SchoolDto School, int Year, IReadOnlyList<ClassDto> Classes);

public static class SchoolEndpoints
{
    public static void MapSchoolEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/schools", async Task<Ok<Paged<SchoolDto>>> (HttpRequest request, EduDbContext db, CurrentView view,
                IStringLocalizer<SharedResource> L, CancellationToken ct) =>
            {
                var grid = SchoolGrids.Schools(L, (await SchoolQueries.TownshipsAsync(db, ct)).Select(t => t.Name));
                // Like the page: closed (撤销/撤并) schools leave the current list unless asked for (closed=1).
                var rows = request.Query["closed"] == "1" ? SchoolQueries.Rows(db, view.Year) : OpenSchools.Rows(db, SchoolQueries.Rows(db, view.Year));
                var page = await grid.PageAsync(rows, GridQuery.From(request), ct);
                return TypedResults.Ok(ApiPaging.Map(page, ToDto));
            })
            .WithSummary("学校名单（分页；page、size、sort、desc=1、f_name、f_level 等筛选同页面；closed=1 含已撤销学校）");

        api.MapGet("/schools/{id:int}", async Task<Results<Ok<SchoolDetailDto>, ProblemHttpResult>> (int id, EduDbContext db, CurrentView view, CancellationToken ct) =>
            {
                var row = await SchoolQueries.Rows(db, view.Year).FirstOrDefaultAsync(s => s.Id == id, ct);
                if (row is null) return Result.NotFound("学校不存在，或不在您的权限范围内").ToProblem();
                var classes = await SchoolQueries.ClassesAsync(db, id, view.Year, ct);
                return TypedResults.Ok(new SchoolDetailDto(ToDto(row), view.Year,
                    classes.Select(c => new ClassDto(c.Id, c.Grade.Zh(), c.Name, c.Size, c.SizeBand)).ToList()));
            })
            .WithSummary("学校详情与当前学年班级（班额）");
    }

    private static SchoolDto ToDto(SchoolRow s) => new(s.Id, s.Code, s.Name, s.Level.Zh(), s.Ownership.Zh(), s.Inclusive, s.Township,
        s.UrbanRural.Zh(), s.Boarding, s.Classes, s.Students, s.Staff);
}
