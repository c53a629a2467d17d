using EduBureau.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// The one mapping of a failed <see cref="Result"/> onto the JSON API: RFC 9457 problem details with a Chinese title —
/// 400 with the field errors (and file issues) for Invalid, 404, 403, 409. Endpoints return <c>result.ToProblem()</c>.
/// </summary>
public static class ResultProblems
{
    public static ProblemHttpResult ToProblem(this Result result)
    {
        var (status, title) = result.Status switch
        {
            ResultStatus.Invalid => (StatusCodes.Status400BadRequest, "提交的内容有误"),
            ResultStatus.NotFound => (StatusCodes.Status404NotFound, "未找到"),
            ResultStatus.Forbidden => (StatusCodes.Status403Forbidden, "无权操作"),
            ResultStatus.Conflict => (StatusCodes.Status409Conflict, "与现有数据冲突"),
            _ => throw new InvalidOperationException("ToProblem is for failed results."),
        };
        ProblemDetails problem = result.Status == ResultStatus.Invalid
            ? new HttpValidationProblemDetails(result.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }))
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = title;
        problem.Detail = result.Message;
        if (result.Issues.Count > 0) problem.Extensions["issues"] = result.Issues;
        return TypedResults.Problem(problem);
    }
}
