using System.Net;
using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

public class RosterTests(RosterFixture fx) : IClassFixture<RosterFixture>
{
    private WebAppFactory App => fx.App;

    private Dictionary<string, string> NewPupilForm(string no, string name, string? idNumber, DateOnly birth, int? schoolId = null, Gender gender = Gender.Male) => new()
    {
        ["Form.StudentNo"] = no, ["Form.Name"] = name, ["Form.Gender"] = ((int)gender).ToString(),
        ["Form.BirthDate"] = birth.ToString("yyyy-MM-dd"), ["Form.IdNumber"] = idNumber ?? "",
        ["Form.SchoolId"] = (schoolId ?? App.County.EastPrimary.Id).ToString(), ["Form.Grade"] = ((int)Grade.G1).ToString(),
        ["Form.ClassName"] = "", ["Form.Version"] = "0",
    };

    private async Task<int> StudentCountAsync()
    {
        await using var db = fx.Open();
        return await db.Students.CountAsync();
    }

    [Fact]
    public async Task StudentDetail_OtherSchoolsPupilByUrl_Is404OnPageAndApi()
    {
        var client = await App.LoginAsync("school");

        var page = await client.GetAsync($"/Students/Detail/{fx.WangId}");
        var api = await client.GetAsync($"/api/students/{fx.WangId}");
        var own = await client.GetAsync($"/Students/Detail/{fx.ZhaoId}");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("王四", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.DoesNotContain("王四", await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("赵六", await own.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Schools_TownshipUser_SeesOnlyItsSchools()
    {
        var client = await App.LoginAsync("east");

        var html = await client.GetStringAsync("/Schools");
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/schools"));
        var names = json.RootElement.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString() ?? "").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["东镇中学", "东镇小学"], names);
        Assert.Equal(2, json.RootElement.GetProperty("total").GetInt32());
        Assert.Contains("东镇小学", html);
        Assert.DoesNotContain("西乡小学", html);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Schools/Detail/{App.County.WestPrimary.Id}")).StatusCode);
    }

    [Fact]
    public async Task Schools_FilterAndSort_RunOnServer()
    {
        var client = await App.LoginAsync("admin");

        var html = await client.GetStringAsync("/Schools?f_township=" + Uri.EscapeDataString("东镇") + "&sort=students&desc=1");

        // 东镇小学 has 3 pupils (张一, 张二, 赵六), 东镇中学 1: descending by pupils puts the primary school first.
        Assert.DoesNotContain("西乡小学", html);
        Assert.True(html.IndexOf("东镇小学", StringComparison.Ordinal) < html.IndexOf("东镇中学", StringComparison.Ordinal));
        Assert.Contains("共 <strong>2</strong> 条", html);
    }

    [Theory]
    [InlineData("duxue")]
    [InlineData("keshi")]
    public async Task EditPost_ReadOnlyRole_Is403AndChangesNothing(string user)
    {
        var pupil = await fx.AddPupilAsync("只读测");
        var client = await App.LoginAsync(user);
        var form = NewPupilForm(pupil.StudentNo, "被改名", null, pupil.BirthDate);

        var response = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", form);
        var create = await RosterFixture.PostFormAsync(client, "/Students", "/Students/Create", NewPupilForm("RO-" + user, "不该建", null, new DateOnly(2019, 1, 1)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal("只读测", (await fx.FindAsync(pupil.Id))!.Name);
        await using var db = fx.Open();
        Assert.False(await db.Students.AnyAsync(s => s.StudentNo == "RO-" + user));
    }

    [Theory]
    [InlineData("duxue", false)]
    [InlineData("keshi", false)]
    [InlineData("admin", true)]
    public async Task IdNumber_ByRole_MaskedOrFull(string user, bool full)
    {
        var client = await App.LoginAsync(user);
        var masked = IdNumber.Mask(fx.ZhaoIdNumber);

        var page = await client.GetStringAsync($"/Students/Detail/{fx.ZhaoId}");
        var api = await client.GetStringAsync($"/api/students/{fx.ZhaoId}");
        var list = await client.GetStringAsync("/Students?q=" + Uri.EscapeDataString("赵六"));

        Assert.Equal("**************123" + fx.ZhaoIdNumber[^1], masked);
        foreach (var text in new[] { page, api, list })
        {
            Assert.Equal(full, text.Contains(fx.ZhaoIdNumber));
            Assert.Equal(!full, text.Contains(masked));
        }
    }

    [Fact]
    public async Task Search_ByStudentNoOrIdNumber_FindsThePupil()
    {
        var client = await App.LoginAsync("school");

        using var byNo = JsonDocument.Parse(await client.GetStringAsync("/api/students?q=Z6"));
        using var byId = JsonDocument.Parse(await client.GetStringAsync("/api/students?q=" + fx.ZhaoIdNumber));
        using var other = JsonDocument.Parse(await client.GetStringAsync("/api/students?q=G4"));

        Assert.Equal("赵六", byNo.RootElement.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(1, byId.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(0, other.RootElement.GetProperty("total").GetInt32()); // 王四 is another school's pupil
    }

    [Fact]
    public async Task Create_InvalidIdNumber_ShowsChineseMessageAndSavesNothing()
    {
        var client = await App.LoginAsync("admin");
        var good = IdNumber.Create("452101", new DateOnly(2019, 6, 1), 135);
        var bad = good[..17] + (good[17] == '0' ? '1' : '0');
        var before = await StudentCountAsync();

        var response = await RosterFixture.PostFormAsync(client, "/Students/Create", "/Students/Create", NewPupilForm("BAD-ID", "错号", bad, new DateOnly(2019, 6, 1)));
        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"身份证件号校验码错误（末位应为{good[17]}）", html);
        Assert.Equal(before, await StudentCountAsync());
    }

    [Fact]
    public async Task Create_BirthDateDisagreesWithIdNumber_ShowsMessage()
    {
        var client = await App.LoginAsync("admin");
        var id = IdNumber.Create("452101", new DateOnly(2019, 6, 1), 135);
        var before = await StudentCountAsync();

        var response = await RosterFixture.PostFormAsync(client, "/Students/Create", "/Students/Create", NewPupilForm("BAD-BD", "错生日", id, new DateOnly(2019, 6, 2)));
        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());

        Assert.Contains("出生日期与身份证件号不一致（身份证件号中为 2019-06-01）", html);
        Assert.Equal(before, await StudentCountAsync());
    }

    [Fact]
    public async Task Create_DuplicateStudentNo_ShowsChineseMessageAndSavesNothing()
    {
        var client = await App.LoginAsync("admin");
        var before = await StudentCountAsync();

        // G4 belongs to 西乡小学: the check spans the whole database, not only the school being written to.
        var response = await RosterFixture.PostFormAsync(client, "/Students/Create", "/Students/Create", NewPupilForm("G4", "重号", null, new DateOnly(2019, 6, 1)));
        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());

        Assert.Contains("学籍号“G4”已存在，不能重复", html);
        Assert.Equal(before, await StudentCountAsync());
    }

    [Fact]
    public async Task Create_UnknownSchool_ShowsChineseMessageAndSavesNothing()
    {
        var client = await App.LoginAsync("admin");
        var before = await StudentCountAsync();

        var response = await RosterFixture.PostFormAsync(client, "/Students/Create", "/Students/Create", NewPupilForm("NOSCHOOL", "无校", null, new DateOnly(2019, 6, 1), schoolId: 99999));
        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());

        Assert.Contains("学校不存在，或不在您的权限范围内", html);
        Assert.Equal(before, await StudentCountAsync());
    }

    [Fact]
    public async Task Create_SchoolUserForAnotherSchool_IsRefusedAndSavesNothing()
    {
        var client = await App.LoginAsync("school");
        var before = await StudentCountAsync();

        var response = await RosterFixture.PostFormAsync(client, "/Students/Create", "/Students/Create",
            NewPupilForm("OTHER", "越权", null, new DateOnly(2019, 6, 1), schoolId: App.County.WestPrimary.Id));

        Assert.Contains("学校不存在，或不在您的权限范围内", RosterFixture.Decode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(before, await StudentCountAsync());
    }

    [Fact]
    public async Task Create_ValidPupil_IsSavedWithEnrollmentAndAdmissionEvent()
    {
        var client = await App.LoginAsync("school");
        var id = IdNumber.Create("452101", new DateOnly(2019, 7, 9), 246);
        var form = NewPupilForm("NEW-1", "新同学", id, new DateOnly(2019, 7, 9), gender: Gender.Female);
        form["Form.ClassName"] = "一(1)班";
        form["Form.EntryDate"] = "2025-09-01";

        var response = await RosterFixture.PostFormAsync(client, "/Students/Create", "/Students/Create", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = fx.Open();
        var s = await db.Students.Include(x => x.Enrollments).ThenInclude(e => e.Class).Include(x => x.StatusEvents).SingleAsync(x => x.StudentNo == "NEW-1");
        Assert.Equal(Grade.G1, s.Enrollments.Single().Grade);
        Assert.Equal("一(1)班", s.Enrollments.Single().Class!.Name);
        Assert.Equal(StatusEventKind.Admitted, s.StatusEvents.Single().Kind);
        Assert.Equal("2025-09", s.EntryYearMonth);
    }

    [Fact]
    public async Task Edit_StaleVersion_ShowsChineseMessageAndChangesNothing()
    {
        var pupil = await fx.AddPupilAsync("旧名字");
        var client = await App.LoginAsync("admin");
        var form = NewPupilForm(pupil.StudentNo, "新名字", null, pupil.BirthDate);
        form["Form.Grade"] = ((int)Grade.G3).ToString();
        form["Form.Version"] = (pupil.Version + 1).ToString(); // someone else's later version is not what this form saw

        var stale = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", form);
        var html = RosterFixture.Decode(await stale.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("该学生信息已被其他人修改，您的修改未保存", html);
        var after = await fx.FindAsync(pupil.Id);
        Assert.Equal("旧名字", after!.Name);
        Assert.Equal(pupil.Version, after.Version);
    }

    [Fact]
    public async Task Edit_Name_IsSavedAndAppearsInAuditWithOldAndNew()
    {
        var pupil = await fx.AddPupilAsync("审计前");
        var client = await App.LoginAsync("school");
        var form = NewPupilForm(pupil.StudentNo, "审计后", null, pupil.BirthDate);
        form["Form.Grade"] = ((int)Grade.G3).ToString();
        form["Form.Version"] = pupil.Version.ToString();

        var saved = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", form);
        var admin = await App.LoginAsync("admin");
        var audit = RosterFixture.Decode(await admin.GetStringAsync("/Audit?f_entity=Student&f_key=" + pupil.Id));
        var schoolAudit = await client.GetAsync("/Audit");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await fx.FindAsync(pupil.Id);
        Assert.Equal("审计后", after!.Name);
        Assert.Equal(pupil.Version + 1, after.Version);
        Assert.Contains("姓名：审计前 → 审计后", audit);
        Assert.Contains("school", audit);
        Assert.Equal(HttpStatusCode.Forbidden, schoolAudit.StatusCode);
    }

    [Fact]
    public async Task Transfer_WithinCounty_MovesEnrollmentAndRecordsBothEvents()
    {
        var pupil = await fx.AddPupilAsync("转学生");
        var client = await App.LoginAsync("admin");

        var response = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Transfer/{pupil.Id}", new Dictionary<string, string>
        {
            ["ToSchoolId"] = App.County.WestPrimary.Id.ToString(), ["Date"] = "2025-10-08", ["Version"] = pupil.Version.ToString(), ["ClassName"] = "", ["Note"] = "随父母",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await fx.FindAsync(pupil.Id);
        var enrollment = after!.Enrollments.Single(e => e.Year == TinyCounty.Year);
        Assert.Equal(App.County.WestPrimary.Id, enrollment.SchoolId);
        Assert.Equal(EnrollmentStatus.InSchool, enrollment.Status);
        var events = after.StatusEvents.OrderBy(e => e.Id).Select(e => (e.Kind, e.SchoolId, e.OtherSchoolId)).ToList();
        Assert.Equal([(StatusEventKind.TransferOut, App.County.EastPrimary.Id, (int?)App.County.WestPrimary.Id),
                      (StatusEventKind.TransferIn, App.County.WestPrimary.Id, (int?)App.County.EastPrimary.Id)], events);
        // The school the pupil left no longer sees the pupil.
        var school = await App.LoginAsync("school");
        Assert.Equal(HttpStatusCode.NotFound, (await school.GetAsync($"/Students/Detail/{pupil.Id}")).StatusCode);
    }

    [Fact]
    public async Task Transfer_DateOutsideSchoolYear_ShowsMessageAndChangesNothing()
    {
        var pupil = await fx.AddPupilAsync("日期错");
        var client = await App.LoginAsync("admin");

        var response = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Transfer/{pupil.Id}", new Dictionary<string, string>
        {
            ["ToSchoolId"] = App.County.WestPrimary.Id.ToString(), ["Date"] = "2024-10-08", ["Version"] = pupil.Version.ToString(),
        });

        Assert.Contains("转学日期应在2025学年内", RosterFixture.Decode(await response.Content.ReadAsStringAsync()));
        var after = await fx.FindAsync(pupil.Id);
        Assert.Equal(App.County.EastPrimary.Id, after!.Enrollments.Single().SchoolId);
        Assert.Empty(after.StatusEvents);
    }

    [Fact]
    public async Task StaffCreate_InvalidIdNumberAndDuplicateNo_ShowMessagesAndSaveNothing()
    {
        var client = await App.LoginAsync("admin");
        await using var db = fx.Open();
        var before = await db.StaffMembers.CountAsync();

        var response = await RosterFixture.PostFormAsync(client, "/Staff/Create", "/Staff/Create", new Dictionary<string, string>
        {
            ["Form.StaffNo"] = "T001", ["Form.Name"] = "重号老师", ["Form.Gender"] = "2", ["Form.BirthDate"] = "1990-01-01",
            ["Form.IdNumber"] = "45210119900101002", ["Form.SchoolId"] = App.County.EastPrimary.Id.ToString(),
            ["Form.Post"] = "1", ["Form.Education"] = "2", ["Form.Title"] = "0", ["Form.Backbone"] = "0", ["Form.Version"] = "0",
        });
        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());

        Assert.Contains("教职工号“T001”已存在，不能重复", html);
        Assert.Contains("身份证件号应为18位，实际17位", html);
        Assert.Equal(before, await db.StaffMembers.CountAsync());
    }

    [Fact]
    public async Task StaffEdit_StaleVersion_ChangesNothing()
    {
        var client = await App.LoginAsync("admin");

        var response = await RosterFixture.PostFormAsync(client, "/Staff", $"/Staff/Edit/{fx.TeacherId}", new Dictionary<string, string>
        {
            ["Form.StaffNo"] = "T001", ["Form.Name"] = "改名老师", ["Form.Gender"] = "2", ["Form.BirthDate"] = "1985-05-02",
            ["Form.Post"] = "1", ["Form.Education"] = "2", ["Form.Title"] = "0", ["Form.Backbone"] = "0", ["Form.Version"] = "7",
        });

        Assert.Contains("该教职工信息已被其他人修改", RosterFixture.Decode(await response.Content.ReadAsStringAsync()));
        await using var db = fx.Open();
        Assert.Equal("陈老师", await db.StaffMembers.Where(s => s.Id == fx.TeacherId).Select(s => s.Name).SingleAsync());
    }

    [Fact]
    public async Task SchoolsExport_ReturnsXlsxWithTemplateHeaders()
    {
        var client = await App.LoginAsync("east");

        var response = await client.GetAsync("/Schools?handler=Export&sort=name");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var stream = new MemoryStream(bytes);
        var rows = stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["学校标识码", "学校名称", "学段", "办别", "普惠性", "所属乡镇", "城乡分类", "寄宿制", "班级数", "在校生数", "教职工数"],
            rows[0].Values.Select(v => v?.ToString() ?? "").ToArray());
        Assert.Equal(3, rows.Count); // header + 东镇's two schools
        Assert.Equal(["4500000002", "4500000001"], rows.Skip(1).Select(r => r.Values.First()?.ToString() ?? "").Order().Reverse().ToArray());
    }

    [Fact]
    public async Task OrgTree_County_CountsSchoolsPupilsAndStaffPerTownship()
    {
        var client = await App.LoginAsync("keshi");

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/org/tree"));
        var county = json.RootElement[0];
        var east = county.GetProperty("children").EnumerateArray().Single(u => u.GetProperty("name").GetString() == "东镇");
        var html = await client.GetStringAsync("/Org");

        Assert.Equal(3, county.GetProperty("schools").GetInt32());
        Assert.Equal(2, east.GetProperty("schools").GetInt32());
        Assert.Equal(1, east.GetProperty("staff").GetInt32());
        Assert.True(east.GetProperty("students").GetInt32() >= 4); // 张一, 张二, 李三, 赵六 (+ pupils other tests add)
        Assert.Contains("东镇", html);
    }

    [Fact]
    public async Task SchoolDetail_ClassesTab_ShowsClassSizes()
    {
        var client = await App.LoginAsync("school");

        var html = RosterFixture.Decode(await client.GetStringAsync($"/Schools/Detail/{App.County.EastPrimary.Id}?tab=classes"));
        var conditions = RosterFixture.Decode(await client.GetStringAsync($"/Schools/Detail/{App.County.EastPrimary.Id}?tab=conditions"));

        Assert.Contains("一(1)班", html);
        Assert.Contains("1200.0", conditions);
    }
}
