using System.Net;
using System.Text.Json;
using EduBureau.Core.Audit;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>/Audit readable for a bureau (#15): Chinese field names, real ids, bureau time, sign-ins as 登录/登录失败.</summary>
public class AuditPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private EduDbContext Open() => Database.OpenSystem(app.Database, "test");

    [Fact]
    public async Task AuditPage_PupilCreated_ShowsChineseFieldNamesAndRealIds()
    {
        var admin = await app.LoginAsync("admin");
        var created = await RosterFixture.PostFormAsync(admin, "/Students/Create", "/Students/Create", new()
        {
            ["Form.StudentNo"] = "AUD-NEW", ["Form.Name"] = "审计新生", ["Form.Gender"] = ((int)Gender.Female).ToString(),
            ["Form.BirthDate"] = "2019-03-04", ["Form.IdNumber"] = "", ["Form.SchoolId"] = app.County.EastPrimary.Id.ToString(),
            ["Form.Grade"] = ((int)Grade.G1).ToString(), ["Form.ClassName"] = "", ["Form.Version"] = "0",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        await using var db = Open();
        var id = await db.Students.Where(s => s.StudentNo == "AUD-NEW").Select(s => s.Id).SingleAsync();
        var enrollment = await db.Enrollments.Where(e => e.StudentId == id).Select(e => e.Id).SingleAsync();
        var line = await db.AuditLog.SingleAsync(a => a.Entity == "Enrollment" && a.Action == "新增" && a.EntityKey == enrollment.ToString());

        var student = RosterFixture.Decode(await admin.GetStringAsync($"/Audit?f_entity=Student&f_key={id}"));
        var enrollmentPage = RosterFixture.Decode(await admin.GetStringAsync($"/Audit?f_entity=Enrollment&f_key={enrollment}"));

        // The enrollment was added in the same save as its pupil: the pupil's key is known only after the save.
        using (var changes = JsonDocument.Parse(line.Changes!))
            Assert.Equal(id, changes.RootElement.GetProperty("StudentId")[1].GetInt64());
        Assert.False(await db.AuditLog.AnyAsync(a => a.Changes != null && a.Changes.Contains("-21474")), "no EF temporary id is stored");
        Assert.Contains("姓名：（空） → 审计新生", student);
        Assert.Contains("学籍号：（空） → AUD-NEW", student);
        Assert.Contains("性别：（空） → 女", student);
        Assert.DoesNotContain("Name：", student);
        Assert.Contains($"学生：（空） → #{id}", enrollmentPage);
        Assert.Contains("学籍状态：（空） → 在读", enrollmentPage);
        Assert.DoesNotContain("StudentId", enrollmentPage);
        Assert.DoesNotContain("-21474", enrollmentPage);
    }

    [Fact]
    public async Task AuditPage_KnownUtcTime_ShownInBureauTimeOnPageAndExport()
    {
        await using (var db = Open())
        {
            // 2026-03-01 16:30 UTC is 2026-03-02 00:30 in Asia/Shanghai (UTC+8): the bureau's day is the next one.
            db.AuditLog.Add(new AuditEntry { At = new DateTime(2026, 3, 1, 16, 30, 0, DateTimeKind.Utc), UserName = "test", Action = "查看", Entity = "Student", EntityKey = "TIME-KEY" });
            await db.SaveChangesAsync();
        }
        var admin = await app.LoginAsync("admin");

        var page = RosterFixture.Decode(await admin.GetStringAsync("/Audit?f_key=TIME-KEY"));
        var sameDay = RosterFixture.Decode(await admin.GetStringAsync("/Audit?f_key=TIME-KEY&from=2026-03-02&to=2026-03-02"));
        var dayBefore = RosterFixture.Decode(await admin.GetStringAsync("/Audit?f_key=TIME-KEY&from=2026-03-01&to=2026-03-01"));
        var export = await admin.GetAsync("/Audit?handler=Export&f_key=TIME-KEY");
        var rows = (await MiniExcel.QueryAsync(await export.Content.ReadAsStreamAsync(), useHeaderRow: true)).Cast<IDictionary<string, object>>().ToList();

        Assert.Contains("2026-03-02 00:30", page);
        Assert.DoesNotContain("2026-03-01 16:30", page);
        Assert.DoesNotContain("UTC", page);
        Assert.Contains("2026-03-02 00:30", sameDay);
        Assert.DoesNotContain("2026-03-02 00:30", dayBefore);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("2026-03-02 00:30", Assert.Single(rows)["时间"]?.ToString());
    }

    [Fact]
    public async Task AuditPage_FailedAndGoodSignIn_ShowsLoginLinesNotAnonymousAccountEdits()
    {
        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var token = await WebAppFactory.AntiforgeryTokenAsync(anonymous, "/Account/Login");
        var failed = await anonymous.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "duxue", ["Password"] = "not-the-password1", ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("用户名或密码错误", RosterFixture.Decode(await failed.Content.ReadAsStringAsync()));
        await app.LoginAsync("duxue");
        var admin = await app.LoginAsync("admin");

        var page = RosterFixture.Decode(await admin.GetStringAsync("/Audit?f_user=duxue&size=200"));

        await using var db = Open();
        Assert.False(await db.AuditLog.AnyAsync(a => a.UserName == "anonymous"), "sign-in bookkeeping is not an anonymous edit");
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.UserName == "duxue" && a.Action == "登录失败"));
        Assert.True(await db.AuditLog.AnyAsync(a => a.UserName == "duxue" && a.Action == "登录"));
        Assert.Contains("登录失败", page);
        Assert.DoesNotContain("最近登录：", page);
        Assert.DoesNotContain("AccessFailedCount", page);
        Assert.DoesNotContain("LastLoginUtc", page);
    }

    [Fact]
    public async Task AuditPage_TaskStatusAndLongValue_OwnLabelAndLengthOnly()
    {
        var blob = new string('Q', 5000);
        await using (var db = Open())
        {
            db.AuditLog.Add(new AuditEntry
            {
                At = new DateTime(2026, 5, 1, 2, 0, 0, DateTimeKind.Utc), UserName = "test", Action = "修改", Entity = "PlanTask", EntityKey = "LABEL-KEY",
                Changes = JsonSerializer.Serialize(new Dictionary<string, string?[]> { ["Status"] = ["未开始", "进行中"], ["Note"] = [null, blob] }),
            });
            await db.SaveChangesAsync();
        }
        var admin = await app.LoginAsync("admin");

        var page = RosterFixture.Decode(await admin.GetStringAsync("/Audit?f_key=LABEL-KEY"));

        Assert.Contains("任务状态：未开始 → 进行中", page);
        Assert.DoesNotContain("学籍状态", page);
        Assert.Contains("备注：（空） → （5000 个字符）", page);
        Assert.DoesNotContain(new string('Q', 201), page);
    }
}
