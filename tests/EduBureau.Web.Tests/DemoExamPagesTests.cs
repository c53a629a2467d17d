using System.Net;
using EduBureau.Core.Common;
using EduBureau.Core.Exams;
using EduBureau.Demo;
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

    [Fact]
    public async Task DemoMode_SchoolExamPage_ListsSubjectTeachersWithTheirClassesFigures()
    {
        var client = await app.LoginAsync("admin", DemoAccounts.Password);
        int examId, schoolId, sat;
        string teacher;
        double mean;
        await using (var db = app.Db.Open())
        {
            var exam = await db.Set<Exam>().Where(e => e.Grade == Grade.G9).OrderByDescending(e => e.Date).FirstAsync();
            var subjectId = await db.Set<ExamSubject>().Where(s => s.ExamId == exam.Id && s.Name == "语文").Select(s => s.Id).SingleAsync();
            // One 语文 teacher from the demo's 任课教师 list, and every class they teach in this grade and year.
            var first = await db.TeachingAssignments.Where(t => t.Year == exam.Year && t.Class.Grade == exam.Grade && t.Subject == "语文")
                .OrderBy(t => t.Id).Select(t => new { t.SchoolId, t.StaffId, t.Staff.Name, t.Staff.StaffNo }).FirstAsync();
            var classes = await db.TeachingAssignments
                .Where(t => t.StaffId == first.StaffId && t.Year == exam.Year && t.Class.Grade == exam.Grade && t.Subject == "语文")
                .Select(t => new { t.SchoolId, t.Class.Name }).ToListAsync();
            var scores = await db.Set<Score>().Where(s => s.ExamId == exam.Id && s.SubjectId == subjectId && s.Flag == ScoreFlag.Normal)
                .Select(s => new { s.SchoolId, s.ClassName, s.Value }).ToListAsync();
            var theirs = scores.Where(s => classes.Any(c => c.SchoolId == s.SchoolId && c.Name == s.ClassName)).ToList();
            (examId, schoolId, teacher, sat, mean) = (exam.Id, first.SchoolId, $"{first.Name}（{first.StaffNo}）", theirs.Count, theirs.Average(s => s.Value!.Value));
        }

        var html = await client.GetStringAsync($"/Exams/School?id={examId}&school={schoolId}");

        Assert.Contains("<table class=\"grid\" id=\"teachers\">", html);
        Assert.Matches(
            $"<tr><td>{System.Text.RegularExpressions.Regex.Escape(teacher)}</td><td>语文</td><td>[^<]+</td><td class=\"num\">{sat}</td><td class=\"num\">{mean.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}</td>",
            html);
    }
}

