using System.Net;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Tests.Dropout;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// 学校上报 over real HTTP (issue #15 item 5): the school finds its pupil 张二 by name and reports it → an open case with
/// source 学校上报 and a success message on the case page; 钱转 (T2), who moved from 东镇小学 to 西乡小学, is refused with a
/// Chinese message; 科室 has no form and a post is refused.
/// </summary>
public class DropoutReportPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Report_SchoolOwnPupilOpensCase_OtherSchoolsPupilRefusedInChinese()
    {
        Dictionary<string, long> ids;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            await DropoutHistory.SeedAsync(ctx, app.County);
            ids = await ctx.Students.ToDictionaryAsync(s => s.StudentNo, s => s.Id);
        }
        var school = await app.LoginAsync("school");
        var keshi = await app.LoginAsync("keshi");
        var lastDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd");

        var search = await school.GetStringAsync("/Dropout?Q=" + Uri.EscapeDataString("张"));
        var movedSearch = await school.GetStringAsync("/Dropout?Q=" + Uri.EscapeDataString("钱转"));
        var token = await WebAppFactory.AntiforgeryTokenAsync(school, "/Dropout");
        Task<HttpResponseMessage> Post(HttpClient c, string no, string t) => c.PostAsync("/Dropout?handler=Report", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["studentId"] = ids[no].ToString(), ["reason"] = ((int)DropoutReasonCategory.StudyWeariness).ToString(), ["note"] = "连续8天未到校",
            ["lastAtSchool"] = lastDay, ["guardian"] = "张父", ["phone"] = "13900002222", ["__RequestVerificationToken"] = t,
        }));
        var reported = await Post(school, "G2", token);
        var casePage = await school.GetStringAsync(reported.Headers.Location!.OriginalString);
        var refused = await Post(school, "T2", token);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        var keshiPage = await keshi.GetStringAsync("/Dropout");
        var keshiPost = await Post(keshi, "G2", await WebAppFactory.AntiforgeryTokenAsync(keshi, "/Dropout"));

        Assert.Contains("学校上报辍学", search);
        Assert.Contains("张一", search);
        Assert.Contains("张二", search);
        Assert.Contains("没有姓名含", movedSearch);
        Assert.Equal(HttpStatusCode.Redirect, reported.StatusCode);
        Assert.StartsWith("/Dropout/Case/", reported.Headers.Location!.OriginalString);
        Assert.Contains("role=\"status\"", casePage);
        Assert.Contains("已上报并立案", casePage);
        Assert.Contains("学校上报", casePage);
        Assert.Contains("最后到校 " + lastDay, casePage);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("role=\"alert\"", refusedHtml);
        Assert.Contains("不能上报", refusedHtml);
        Assert.DoesNotContain("学校上报辍学", keshiPage);
        Assert.Equal(HttpStatusCode.Forbidden, keshiPost.StatusCode);
        await using var check = Database.OpenSystem(app.Database, "test");
        var cases = await check.Set<DropoutCase>().Select(c => new { c.StudentNo, c.Source, c.SchoolId, c.Status }).ToListAsync();
        var only = Assert.Single(cases);
        Assert.Equal(("G2", CaseSource.Reported, app.County.EastPrimary.Id, CaseStatus.Open), (only.StudentNo, only.Source, only.SchoolId, only.Status));
    }
}
