using EduBureau.Core.Common;

namespace EduBureau.Core.Tests.Common;

public class ResultTests
{
    [Fact]
    public void Saved_WithId_IsOkWithTheIdAsValue()
    {
        var r = Result.Saved(42);

        Assert.True(r.Succeeded);
        Assert.Equal(ResultStatus.Ok, r.Status);
        Assert.Equal(42, r.Value);
        Assert.Empty(r.Errors);
        Assert.Empty(r.Problems());
    }

    [Fact]
    public void InvalidOfT_FieldErrors_KeepsErrorsAndTheStandardMessage()
    {
        var r = Result.Invalid<long>(new Dictionary<string, string> { ["Name"] = "请填写姓名" });

        Assert.False(r.Succeeded);
        Assert.Equal(ResultStatus.Invalid, r.Status);
        Assert.Equal("请填写姓名", r.Errors["Name"]);
        Assert.Equal("提交的内容有误，请按提示修改", r.Message);
        Assert.Equal(0, r.Value);
    }

    [Fact]
    public void Invalid_FileIssues_MessageIsTheFirstIssueAndProblemsListsAll()
    {
        var r = Result.Invalid(["文件 a.csv 第2行 A列（学籍号）：不能为空", "文件 a.csv 第3行 B列（姓名）：不能为空"]);

        Assert.Equal("文件 a.csv 第2行 A列（学籍号）：不能为空", r.Message);
        Assert.Equal(2, r.Problems().Count);
    }

    [Fact]
    public void Of_FailureWithReport_CarriesStatusMessageIssuesAndTheReport()
    {
        var r = Result.Invalid(["第2行：错误"], "文件有 1 处错误").Of("报告");

        Assert.Equal(ResultStatus.Invalid, r.Status);
        Assert.Equal("文件有 1 处错误", r.Message);
        Assert.Equal(["第2行：错误"], r.Issues);
        Assert.Equal("报告", r.Value);
    }

    [Fact]
    public void NotFoundForbiddenConflict_Defaults_HaveChineseMessages()
    {
        Assert.Equal("记录不存在，或不在您的权限范围内", Result.NotFound<int>().Message);
        Assert.Equal("无权进行此操作", Result.Forbidden().Message);
        Assert.Equal(["该记录已被他人修改"], Result.Conflict("该记录已被他人修改").Problems());
    }
}
