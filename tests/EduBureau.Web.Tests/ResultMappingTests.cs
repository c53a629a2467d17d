using System.Net;
using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EduBureau.Web.Tests;

/// <summary>The API's one mapping of a failed Result onto problem details (ResultProblems), directly and through HTTP.</summary>
public sealed class ResultMappingTests(DemoFixture fx) : IClassFixture<DemoFixture>
{
    [Fact]
    public void ToProblem_Invalid_IsValidationProblemWithFieldErrorsAndIssues()
    {
        var r = Result.Invalid(new Dictionary<string, string> { ["Name"] = "请填写姓名" }) with { Issues = ["文件 a.csv 第2行：错误"] };

        var problem = r.ToProblem();

        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        var details = Assert.IsType<HttpValidationProblemDetails>(problem.ProblemDetails);
        Assert.Equal("提交的内容有误", details.Title);
        Assert.Equal(["请填写姓名"], details.Errors["Name"]);
        Assert.Equal("提交的内容有误，请按提示修改", details.Detail);
        Assert.NotNull(details.Extensions["issues"]);
    }

    [Theory]
    [InlineData(ResultStatus.NotFound, 404, "未找到")]
    [InlineData(ResultStatus.Forbidden, 403, "无权操作")]
    [InlineData(ResultStatus.Conflict, 409, "与现有数据冲突")]
    public void ToProblem_OtherFailures_StatusAndChineseTitle(ResultStatus status, int code, string title)
    {
        var r = status switch
        {
            ResultStatus.NotFound => Result.NotFound(),
            ResultStatus.Forbidden => Result.Forbidden(),
            _ => Result.Conflict("该记录已被他人修改"),
        };

        ProblemHttpResult problem = r.ToProblem();

        Assert.Equal(code, problem.StatusCode);
        Assert.Equal(title, problem.ProblemDetails.Title);
        Assert.Equal(r.Message, problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task ApiStudent_Missing_Is404ProblemWithChineseTitle()
    {
        using var client = await fx.LoginAsync("admin");

        var response = await client.GetAsync("/api/students/999999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("未找到", json.RootElement.GetProperty("title").GetString());
        Assert.Equal("学生不存在，或不在您的权限范围内", json.RootElement.GetProperty("detail").GetString());
    }
}
