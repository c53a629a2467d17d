using System.Net;
using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>Login, role limits, masking, CSRF, staff transfer and audit, through real HTTP.</summary>
public class SecurityTests(RosterFixture fx) : IClassFixture<RosterFixture>
{
    private WebAppFactory App => fx.App;

    private static Dictionary<string, string> StaffForm(string no, string name, int version) => new()
    {
        ["Form.StaffNo"] = no, ["Form.Name"] = name, ["Form.Gender"] = ((int)Gender.Male).ToString(), ["Form.BirthDate"] = "1990-01-01",
        ["Form.Post"] = ((int)StaffPost.FullTimeTeacher).ToString(), ["Form.Education"] = ((int)EducationLevel.Bachelor).ToString(),
        ["Form.Title"] = "0", ["Form.Backbone"] = "0", ["Form.Version"] = version.ToString(),
    };

    private async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string user, string password)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Login");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LocksTheAccountEvenForTheRightPassword()
    {
        await using (var db = fx.Open())
            await UserAccounts.CreateAsync(db, "lockme", WebAppFactory.Password, Roles.School, App.County.EastPrimary.Id);
        var client = App.CreateClient(new() { AllowAutoRedirect = false });

        for (var i = 0; i < 5; i++) await PostLoginAsync(client, "lockme", "wrong-password-" + i);
        var right = await PostLoginAsync(client, "lockme", WebAppFactory.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode); // the login page again, not a redirect into the app
        Assert.Contains("登录失败次数过多，账号已锁定", await right.Content.ReadAsStringAsync());
        // The lockout holds for this address only (LoginThrottle), so it is not stored on the account:
        // another address still signs in (SessionLoginTests.Login_AdminLockedOutByAnotherAddress_StillSignsInFromItsOwn).
        await using var check = fx.Open();
        Assert.Null(await check.Users.Where(u => u.UserName == "lockme").Select(u => u.LockoutEnd).SingleAsync());
    }

    [Fact]
    public async Task Login_RightPassword_RedirectsHomeAndShowsUserAndRole()
    {
        var client = await App.LoginAsync("east");

        var home = await client.GetStringAsync("/");

        Assert.Contains("east（乡镇中心校）", home);
    }

    [Fact]
    public async Task Township_ListsOrgTreeAndApi_OnlyItsOwnSchools()
    {
        var client = await App.LoginAsync("east");

        using var tree = JsonDocument.Parse(await client.GetStringAsync("/api/org/tree"));
        var orgHtml = await client.GetStringAsync("/Org");
        using var students = JsonDocument.Parse(await client.GetStringAsync("/api/students?size=200"));
        using var staff = JsonDocument.Parse(await client.GetStringAsync("/api/staff?size=200"));
        var studentsHtml = await client.GetStringAsync("/Students?size=200");
        var westSchool = await client.GetAsync($"/api/schools/{App.County.WestPrimary.Id}");

        var root = Assert.Single(tree.RootElement.EnumerateArray());
        Assert.Equal("东镇", root.GetProperty("name").GetString());
        Assert.Equal(2, root.GetProperty("schools").GetInt32());
        Assert.DoesNotContain("西乡", orgHtml);
        var schools = students.RootElement.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("school").GetString()).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["东镇中学", "东镇小学"], schools);
        Assert.DoesNotContain("王四", studentsHtml);
        Assert.All(staff.RootElement.GetProperty("items").EnumerateArray(), s => Assert.StartsWith("东镇", s.GetProperty("school").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, westSchool.StatusCode);
    }

    [Fact]
    public async Task SchoolUser_OtherSchoolsStaffAndSchool_AreNotFound()
    {
        var client = await App.LoginAsync("school");

        var otherSchool = await client.GetAsync($"/Schools/Detail/{App.County.WestPrimary.Id}");
        var otherSchoolApi = await client.GetAsync($"/api/schools/{App.County.WestPrimary.Id}");
        var editOther = await client.GetAsync($"/Students/Edit/{fx.WangId}");

        Assert.Equal(HttpStatusCode.NotFound, otherSchool.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherSchoolApi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, editOther.StatusCode);
    }

    [Theory]
    [InlineData("duxue")]
    [InlineData("keshi")]
    public async Task StaffPosts_ReadOnlyRole_Are403AndChangeNothing(string user)
    {
        var teacher = await fx.AddStaffAsync("只读老师");
        var client = await App.LoginAsync(user);

        var edit = await RosterFixture.PostFormAsync(client, "/Staff", $"/Staff/Edit/{teacher.Id}", StaffForm(teacher.StaffNo, "被改名", teacher.Version));
        var transfer = await RosterFixture.PostFormAsync(client, "/Staff", $"/Staff/Transfer/{teacher.Id}", new()
        {
            ["ToSchoolId"] = App.County.WestPrimary.Id.ToString(), ["Version"] = teacher.Version.ToString(),
        });
        var pupilTransfer = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Transfer/{fx.ZhaoId}", new()
        {
            ["ToSchoolId"] = App.County.WestPrimary.Id.ToString(), ["Date"] = "2025-10-08", ["Version"] = "0",
        });
        var editPage = await client.GetAsync($"/Staff/Edit/{teacher.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, transfer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pupilTransfer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, editPage.StatusCode);
        Assert.Contains("无权", await edit.Content.ReadAsStringAsync());
        await using var db = fx.Open();
        var after = await db.StaffMembers.Include(s => s.Assignments).SingleAsync(s => s.Id == teacher.Id);
        Assert.Equal("只读老师", after.Name);
        Assert.Equal(App.County.EastPrimary.Id, after.Assignments.Single().SchoolId);
        Assert.Equal(App.County.EastPrimary.Id, (await fx.FindAsync(fx.ZhaoId))!.Enrollments.Single().SchoolId);
    }

    [Theory]
    [InlineData("keshi", false)]
    [InlineData("admin", true)]
    public async Task StudentExport_ByRole_IdNumberMaskedOrFull(string user, bool full)
    {
        var client = await App.LoginAsync(user);

        var bytes = await client.GetByteArrayAsync("/Students?handler=Export&q=Z6");
        using var stream = new MemoryStream(bytes);
        var rows = stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();

        var row = Assert.Single(rows);
        Assert.Equal("赵六", row["姓名"]);
        Assert.Equal(full ? fx.ZhaoIdNumber : IdNumber.Mask(fx.ZhaoIdNumber), row["身份证件号"]);
    }

    [Fact]
    public async Task StaffList_Inspector_SeesMaskedIdNumbers()
    {
        var client = await App.LoginAsync("duxue");
        await using var db = fx.Open();
        var id = await db.StaffMembers.Where(s => s.Id == fx.TeacherId).Select(s => s.IdNumber!).SingleAsync();

        var html = await client.GetStringAsync("/Staff?q=T001");
        var api = await client.GetStringAsync("/api/staff?q=T001");
        var detail = await client.GetStringAsync($"/Staff/Detail/{fx.TeacherId}");

        foreach (var text in new[] { html, api, detail })
        {
            Assert.DoesNotContain(id, text);
            Assert.Contains(IdNumber.Mask(id), text);
        }
    }

    [Fact]
    public async Task EditPost_WithoutAntiforgeryToken_IsRejectedAndChangesNothing()
    {
        var pupil = await fx.AddPupilAsync("防伪前");
        var client = await App.LoginAsync("admin");

        var response = await client.PostAsync($"/Students/Edit/{pupil.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.StudentNo"] = pupil.StudentNo, ["Form.Name"] = "防伪后", ["Form.Version"] = pupil.Version.ToString(),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("防伪前", (await fx.FindAsync(pupil.Id))!.Name);
    }

    [Fact]
    public async Task SignedInPagesAndApi_CarrySecurityHeaders()
    {
        var client = await App.LoginAsync("admin");

        foreach (var url in new[] { "/Students", "/api/schools" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Fact]
    public async Task OpenApi_ListsEveryApiEndpoint()
    {
        var client = App.CreateClient();

        using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "/api/stats", "/api/org/tree", "/api/schools", "/api/schools/{id}", "/api/students", "/api/students/{id}", "/api/staff" }, paths);
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("duxue")]
    [InlineData("east")]
    public async Task AuditPage_NonAdmin_Is403(string user)
    {
        var client = await App.LoginAsync(user);

        var response = await client.GetAsync("/Audit");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task StaffTransfer_ToWestSchool_MovesAssignmentAndIsAudited()
    {
        var teacher = await fx.AddStaffAsync("调动老师");
        var client = await App.LoginAsync("admin");

        var response = await RosterFixture.PostFormAsync(client, "/Staff", $"/Staff/Transfer/{teacher.Id}", new()
        {
            ["ToSchoolId"] = App.County.WestPrimary.Id.ToString(), ["Version"] = teacher.Version.ToString(),
        });
        var audit = RosterFixture.Decode(await client.GetStringAsync("/Audit?f_entity=StaffAssignment&size=200"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = fx.Open();
        var after = await db.StaffMembers.Include(s => s.Assignments).SingleAsync(s => s.Id == teacher.Id);
        Assert.Equal(App.County.WestPrimary.Id, after.Assignments.Single().SchoolId);
        Assert.Equal(teacher.Version + 1, after.Version);
        Assert.Contains($"#{App.County.EastPrimary.Id} → #{App.County.WestPrimary.Id}", audit); // ids shown as #id (#15)
    }

    [Fact]
    public async Task StaffTransfer_SchoolUserToOtherSchool_IsRefusedAndChangesNothing()
    {
        var teacher = await fx.AddStaffAsync("越权调动");
        var client = await App.LoginAsync("school");

        var response = await RosterFixture.PostFormAsync(client, "/Staff", $"/Staff/Transfer/{teacher.Id}", new()
        {
            ["ToSchoolId"] = App.County.WestPrimary.Id.ToString(), ["Version"] = teacher.Version.ToString(),
        });

        Assert.Contains("调入学校不存在，或不在您的权限范围内", RosterFixture.Decode(await response.Content.ReadAsStringAsync()));
        await using var db = fx.Open();
        Assert.Equal(App.County.EastPrimary.Id, await db.StaffAssignments.Where(a => a.StaffId == teacher.Id).Select(a => a.SchoolId).SingleAsync());
    }

    [Fact]
    public async Task StaffTransfer_StaleVersion_ShowsMessageAndChangesNothing()
    {
        var teacher = await fx.AddStaffAsync("过期调动");
        var client = await App.LoginAsync("admin");

        var response = await RosterFixture.PostFormAsync(client, "/Staff", $"/Staff/Transfer/{teacher.Id}", new()
        {
            ["ToSchoolId"] = App.County.WestPrimary.Id.ToString(), ["Version"] = (teacher.Version + 3).ToString(),
        });

        Assert.Contains("该教职工信息已被其他人修改", RosterFixture.Decode(await response.Content.ReadAsStringAsync()));
        await using var db = fx.Open();
        Assert.Equal(App.County.EastPrimary.Id, await db.StaffAssignments.Where(a => a.StaffId == teacher.Id).Select(a => a.SchoolId).SingleAsync());
    }

    [Fact]
    public async Task StaffEdit_GenderDisagreesWithIdNumber_ShowsMessageAndChangesNothing()
    {
        var teacher = await fx.AddStaffAsync("性别错");
        var client = await App.LoginAsync("admin");
        var form = StaffForm(teacher.StaffNo, "性别错改", teacher.Version);
        form["Form.IdNumber"] = IdNumber.Create("452101", new DateOnly(1990, 1, 1), 124); // even sequence: female

        var response = await RosterFixture.PostFormAsync(client, "/Staff", $"/Staff/Edit/{teacher.Id}", form);

        Assert.Contains("性别与身份证件号不一致（身份证件号第17位表示女）", RosterFixture.Decode(await response.Content.ReadAsStringAsync()));
        await using var db = fx.Open();
        var after = await db.StaffMembers.SingleAsync(s => s.Id == teacher.Id);
        Assert.Equal(("性别错", (string?)null, teacher.Version), (after.Name, after.IdNumber, after.Version));
    }

    [Fact]
    public async Task StaffEdit_Valid_IsSavedAndAuditedWithOldAndNew()
    {
        var teacher = await fx.AddStaffAsync("改前老师");
        var client = await App.LoginAsync("east");

        var response = await RosterFixture.PostFormAsync(client, "/Staff", $"/Staff/Edit/{teacher.Id}", StaffForm(teacher.StaffNo, "改后老师", teacher.Version));
        var admin = await App.LoginAsync("admin");
        var audit = RosterFixture.Decode(await admin.GetStringAsync($"/Audit?f_entity=StaffMember&f_key={teacher.Id}"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("改前老师 → 改后老师", audit);
        Assert.Contains("east", audit);
    }

    [Fact]
    public async Task StudentEdit_UnknownClass_ShowsMessageAndChangesNothing()
    {
        var pupil = await fx.AddPupilAsync("无此班");
        var client = await App.LoginAsync("school");
        var form = new Dictionary<string, string>
        {
            ["Form.StudentNo"] = pupil.StudentNo, ["Form.Name"] = "无此班改", ["Form.Gender"] = ((int)Gender.Male).ToString(),
            ["Form.BirthDate"] = pupil.BirthDate.ToString("yyyy-MM-dd"), ["Form.Grade"] = ((int)Grade.G3).ToString(),
            ["Form.ClassName"] = "九(9)班", ["Form.Version"] = pupil.Version.ToString(),
        };

        var response = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", form);

        Assert.Contains("东镇小学2025学年三年级没有“九(9)班”这个班级", RosterFixture.Decode(await response.Content.ReadAsStringAsync()));
        Assert.Equal("无此班", (await fx.FindAsync(pupil.Id))!.Name);
    }

    [Fact]
    public async Task YearSwitch_To2024_SchoolDetailShowsThatYearsClassesAndMarksItsConditions()
    {
        var client = await App.LoginAsync("school");
        var detail = $"/Schools/Detail/{App.County.EastPrimary.Id}";

        var switched = await RosterFixture.PostFormAsync(client, "/Students", "/Account/View", new()
        {
            ["unit"] = App.County.EastPrimary.Id.ToString(), ["year"] = "2024", ["returnUrl"] = detail,
        });
        foreach (var cookie in switched.Headers.GetValues("Set-Cookie")) Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var classes = RosterFixture.Decode(await client.GetStringAsync(detail));
        var conditions = RosterFixture.Decode(await client.GetStringAsync(detail + "?tab=conditions"));

        Assert.Equal(detail, switched.Headers.Location!.OriginalString);
        Assert.Contains("2024–2025学年", classes);
        Assert.Contains("二(5)班", classes);
        Assert.DoesNotContain("一(1)班", classes);
        // Both years side by side, the chosen one marked: 1100.0 (2024) before 1200.0 (2025).
        Assert.True(conditions.IndexOf("1100.0", StringComparison.Ordinal) < conditions.IndexOf("1200.0", StringComparison.Ordinal));
        Assert.Contains("<td class=\"num current-year\">1100.0</td>", conditions);
        Assert.Contains("<td class=\"num\">1200.0</td>", conditions);
    }

    [Fact]
    public async Task YearSwitch_UnknownYear_IsIgnored()
    {
        var client = await App.LoginAsync("school");

        await RosterFixture.PostFormAsync(client, "/Students", "/Account/View", new() { ["year"] = "1990", ["returnUrl"] = "/Students" });
        var html = RosterFixture.Decode(await client.GetStringAsync("/Students"));

        Assert.Contains("2025–2026学年", html);
    }
}
