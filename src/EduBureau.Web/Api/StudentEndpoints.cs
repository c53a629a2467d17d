using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Students;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace EduBureau.Web.Api;

public sealed record StudentDto(long Id, string StudentNo, string Name, string Gender, DateOnly BirthDate, string IdNumber,
    int SchoolId, string School, string Grade, string? ClassName, string Status);

public sealed record EnrollmentDto(int Year, int SchoolId, string School, string Grade, string? ClassName, string Status);

public sealed record StatusEventDto(DateOnly Date, int Year, string Kind, int SchoolId, int? OtherSchoolId, string? Note);

public sealed record StudentDetailDto(long Id, string StudentNo, string Name, string Gender, DateOnly BirthDate, string IdNumber,
    string? Ethnicity, string? HouseholdTownship, string? EntryYearMonth, int Version,
    IReadOnlyList<EnrollmentDto> Enrollments, IReadOnlyList<StatusEventDto> StatusEvents);

public static class StudentEndpoints
{
    public static void MapStudentEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/students", async Task<Ok<Paged<StudentDto>>> (HttpRequest request, string? q, EduDbContext db, CurrentView view,
                IStringLocalizer<SharedResource> L, RosterSearch roster, CancellationToken ct) =>
            {
                var page = await StudentSearch.PageAsync(db, roster, SchoolGrids.Students(L, view), view.Year, q, GridQuery.From(request), ct);
                await IdSearchAudit.LogAsync(db, view, nameof(Student), q, page.Total, ct);
                return TypedResults.Ok(ApiPaging.Map(page, s => new StudentDto(s.Id, view.Scope.ShowStudentNo(s.StudentNo), s.Name, s.Gender.Zh(), s.BirthDate,
                    view.Scope.ShowIdNumber(s.IdNumber), s.SchoolId, s.School, s.Grade.Zh(), s.ClassName, s.Status.Zh())));
            })
            .WithSummary("查找学生（q：姓名、学籍号或身份证件号；分页）；身份证件号按角色脱敏");

        api.MapGet("/students/{id:long}", async Task<Results<Ok<StudentDetailDto>, ProblemHttpResult>> (long id, EduDbContext db, CurrentView view, CancellationToken ct) =>
            {
                // Filtered by the context: another school's pupil is simply not there.
                var s = await db.Students.AsNoTracking()
                    .Include(x => x.Enrollments).ThenInclude(e => e.School)
                    .Include(x => x.Enrollments).ThenInclude(e => e.Class)
                    .Include(x => x.StatusEvents)
                    .AsSplitQuery()
                    .FirstOrDefaultAsync(x => x.Id == id, ct);
                if (s is null) return Result.NotFound("学生不存在，或不在您的权限范围内").ToProblem();
                return TypedResults.Ok(new StudentDetailDto(s.Id, view.Scope.ShowStudentNo(s.StudentNo), s.Name, s.Gender.Zh(), s.BirthDate, view.Scope.ShowIdNumber(s.IdNumber),
                    s.Ethnicity, s.HouseholdTownship, s.EntryYearMonth, s.Version,
                    s.Enrollments.OrderBy(e => e.Year).Select(e => new EnrollmentDto(e.Year, e.SchoolId, e.School.Name, e.Grade.Zh(), e.Class?.Name, e.Status.Zh())).ToList(),
                    s.StatusEvents.OrderBy(e => e.Date).ThenBy(e => e.Id).Select(e => new StatusEventDto(e.Date, e.Year, e.Kind.Zh(), e.SchoolId, e.OtherSchoolId, e.Note)).ToList()));
            })
            .WithSummary("学生详情：各学年学籍与学籍变动记录");
    }
}
