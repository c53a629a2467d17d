using System.Net;
using EduBureau.Core.Common;
using EduBureau.Core.Demo;
using EduBureau.Core.Exams;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>In demo mode the /Exams pages are populated by the demo exams (a small 演示县).</summary>
public sealed class DemoExamPagesTests(DemoModeFactory app) : IClassFixture<DemoModeFactory>
{
    [Fact]
    public async Task DemoMode_ExamPages_ListTheExamsAndShowValueAddedAgainstTheEarlierExam()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Login");
        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = DemoAccounts.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        int g9, g8;
        await using (var db = app.Db.Open())
        {
            // The latest 九年级 exam (this year's 期中) against the cohort's 八年级 期末 a year before.
            g9 = await db.Set<Exam>().Where(e => e.Grade == Grade.G9).OrderByDescending(e => e.Date).Select(e => e.Id).FirstAsync();
            g8 = await db.Set<Exam>().Where(e => e.Grade == Grade.G8).Select(e => e.Id).SingleAsync();
        }

        var list = await client.GetStringAsync("/Exams");
        var overview = await client.GetStringAsync($"/Exams/Overview?id={g9}&vs={g8}");

        Assert.Contains("九年级期中统考", list);
        Assert.Contains("八年级期末统考", list);
        Assert.Contains("县实验学校", overview); // a demo school in the ranking
        Assert.Contains("各校总分增值与入口成绩", overview);
    }
}
