using System.Globalization;
using System.Net;
using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Organization;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// #14 findings 2, 6 and 12a through real HTTP: a person's record is written only by the unit of their current school
/// (imports of any year, the edit pages), a year not yet opened only by 局管理员, and import updates are audited per record.
/// </summary>
public class WriteScopeTests(RosterFixture fx) : IClassFixture<RosterFixture>
{
    private WebAppFactory App => fx.App;
    private static readonly string StudentHeader = string.Join(",", Template.For(ImportEntity.Students).Columns.Select(c => c.Header));
    private static readonly string StaffHeader = string.Join(",", Template.For(ImportEntity.Staff).Columns.Select(c => c.Header));
    private static readonly DateOnly PupilBirth = new(2017, 3, 1);
    private static readonly DateOnly TeacherBirth = new(1985, 6, 15);

    /// <summary>The school year under way today: open to schools although no data holds it yet (the data ends in 2025).</summary>
    private static int ThisYear => SchoolYears.Containing(DateTimeOffset.UtcNow);

    private static string PupilRow(string no, string name, string? id, string school = "4500000001", string cls = "三(1)班") =>
        $"{no},{name},男,2017-03-01,{id},汉族,{school},三年级,{cls},2023-09,走读,否,否,否,否,否,否,无,否,东镇,在读";

    private static string StaffRow(string no, string name, string? id, string school = "4500000001", string subject = "语文") =>
        $"{no},{name},女,1985-06-15,{id},{school},专任教师,{subject},本科,否,一级,县级,,2007-09,在编";

    /// <summary>A pupil (or teacher) of 西乡小学 — another township — in 2025, with an ID number.</summary>
    private async Task<(long Id, string IdNumber)> AddWestPupilAsync(string no, int seq)
    {
        await using var db = fx.Open();
        var s = TinyCounty.AddPupil(db, no, "西乡生", App.County.WestPrimary, Grade.G3, App.County.County.Id);
        s.BirthDate = PupilBirth;
        s.IdNumber = IdNumber.Create("452101", PupilBirth, seq);
        await db.SaveChangesAsync();
        return (s.Id, s.IdNumber);
    }

    private async Task<(long Id, string IdNumber)> AddWestTeacherAsync(string no, int seq)
    {
        await using var db = fx.Open();
        var t = new StaffMember
        {
            StaffNo = no, Name = "西乡老师", Gender = Gender.Female, BirthDate = TeacherBirth, IdNumber = IdNumber.Create("452101", TeacherBirth, seq),
            Post = StaffPost.FullTimeTeacher, Education = EducationLevel.Bachelor, CountyId = App.County.County.Id, Established = true,
        };
        t.Assignments.Add(new StaffAssignment { Year = TinyCounty.Year, SchoolId = App.County.WestPrimary.Id, CountyId = App.County.County.Id });
        db.StaffMembers.Add(t);
        await db.SaveChangesAsync();
        return (t.Id, t.IdNumber!);
    }

    /// <summary>Everything the probe saw change: the record, its years and schools, and the audit lines of people and imports.</summary>
    private async Task<string> PupilSnapshotAsync(long id)
    {
        await using var db = fx.Open();
        var s = await db.Students.AsNoTracking().Include(x => x.Enrollments).SingleAsync(x => x.Id == id);
        return $"{s.Name}|{s.IdNumber}|{s.Version}|{string.Join(";", s.Enrollments.OrderBy(e => e.Year).Select(e => $"{e.Year}:{e.SchoolId}:{e.Version}"))}|{await PeopleAuditAsync(db)}";
    }

    private async Task<string> StaffSnapshotAsync(long id)
    {
        await using var db = fx.Open();
        var s = await db.StaffMembers.AsNoTracking().Include(x => x.Assignments).SingleAsync(x => x.Id == id);
        return $"{s.Name}|{s.IdNumber}|{s.Version}|{string.Join(";", s.Assignments.OrderBy(a => a.Year).Select(a => $"{a.Year}:{a.SchoolId}"))}|{await PeopleAuditAsync(db)}";
    }

    private static Task<int> PeopleAuditAsync(Core.Data.EduDbContext db) =>
        db.AuditLog.CountAsync(a => a.Action == "导入" || a.Action == "导入修改" || a.Entity == "Student" || a.Entity == "Enrollment" || a.Entity == "StaffMember" || a.Entity == "StaffAssignment");

    [Fact]
    public async Task Import_StudentsOfThisYearNamingOtherTownshipsPupil_RowRefusedNothingChanges()
    {
        var (id, idNumber) = await AddWestPupilAsync("WSP1", 201);
        var before = await PupilSnapshotAsync(id);
        var school = await App.LoginAsync("school");

        // The probe: a year later than the pupil's enrolment, his 学籍号, another name and no ID number.
        var html = RosterFixture.Decode(await ImportPageTests.UploadAndWaitAsync(school,
            StudentHeader + "\n" + PupilRow("WSP1", "改名", null) + "\n", "future.csv", ThisYear));

        Assert.Contains("导入失败，未写入任何数据", html);
        Assert.Contains("学籍号不存在或不在你的管理范围内", html);
        Assert.DoesNotContain("西乡生", html);
        Assert.DoesNotContain(idNumber, html);
        Assert.Equal(before, await PupilSnapshotAsync(id));
    }

    [Fact]
    public async Task Import_StaffOfThisYearNamingOtherTownshipsTeacher_RowRefusedNothingChanges()
    {
        var (id, idNumber) = await AddWestTeacherAsync("WS-T1", 202);
        var before = await StaffSnapshotAsync(id);
        var school = await App.LoginAsync("school");

        var html = RosterFixture.Decode(await ImportPageTests.UploadAndWaitAsync(school,
            StaffHeader + "\n" + StaffRow("WS-T1", "改名", null) + "\n", "future-staff.csv", ThisYear, "staff"));

        Assert.Contains("导入失败，未写入任何数据", html);
        Assert.Contains("教职工号不存在或不在你的管理范围内", html);
        Assert.DoesNotContain("西乡老师", html);
        Assert.DoesNotContain(idNumber, html);
        Assert.Equal(before, await StaffSnapshotAsync(id));
    }

    [Fact]
    public async Task Import_YearNotYetOpenBySchool_RefusedNothingWritten()
    {
        var year = ThisYear + 4;
        var school = await App.LoginAsync("school");

        var html = RosterFixture.Decode(await ImportPageTests.UploadAndWaitAsync(school,
            StudentHeader + "\n" + PupilRow("WSNEW", "新生", null) + "\n", "new-year.csv", year));

        Assert.Contains($"{year}学年尚未开启，只有局管理员可以开启新学年", html);
        await using var db = fx.Open();
        Assert.False(await db.SchoolYears.AnyAsync(y => y.Year == year));
        Assert.False(await db.Students.AnyAsync(s => s.StudentNo == "WSNEW"));
    }

    /// <summary>王某 was at 东镇小学 in 2024 and is at 西乡小学 now (2025): 东镇小学 still reads his history.</summary>
    private async Task<Student> AddMovedPupilAsync(string no)
    {
        await using var db = fx.Open();
        var s = TinyCounty.AddPupil(db, no, "转走生", App.County.WestPrimary, Grade.G3, App.County.County.Id);
        s.Enrollments.Add(new Enrollment { Year = TinyCounty.Year - 1, SchoolId = App.County.EastPrimary.Id, Grade = Grade.G2, CountyId = App.County.County.Id });
        await db.SaveChangesAsync();
        return s;
    }

    [Fact]
    public async Task EditPage_FormerSchoolEditsMovedPupil_RefusedWithMessageNothingChanged()
    {
        var pupil = await AddMovedPupilAsync("WSM1");
        var before = await PupilSnapshotAsync(pupil.Id);
        var school = await App.LoginAsync("school");
        var form = new Dictionary<string, string>
        {
            ["Form.StudentNo"] = pupil.StudentNo, ["Form.Name"] = "被改名", ["Form.Gender"] = ((int)pupil.Gender).ToString(CultureInfo.InvariantCulture),
            ["Form.BirthDate"] = pupil.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Form.IdNumber"] = "",
            ["Form.Grade"] = ((int)Grade.G3).ToString(CultureInfo.InvariantCulture), ["Form.ClassName"] = "", ["Form.Version"] = "0",
        };

        var page = RosterFixture.Decode(await school.GetStringAsync($"/Students/Edit/{pupil.Id}"));
        var post = await RosterFixture.PostFormAsync(school, "/Students", $"/Students/Edit/{pupil.Id}", form);
        var html = RosterFixture.Decode(await post.Content.ReadAsStringAsync());

        Assert.Contains("该学生不存在或不在你的管理范围内", page);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("该学生不存在或不在你的管理范围内", html);
        Assert.Equal(before, await PupilSnapshotAsync(pupil.Id));
    }

    [Fact]
    public async Task EditPage_FormerSchoolEditsMovedTeacher_RefusedWithMessageNothingChanged()
    {
        var (id, _) = await AddWestTeacherAsync("WS-T2", 204);
        await using (var db = fx.Open())
        {
            db.StaffAssignments.Add(new StaffAssignment { StaffId = id, Year = TinyCounty.Year - 1, SchoolId = App.County.EastPrimary.Id, CountyId = App.County.County.Id });
            await db.SaveChangesAsync();
        }
        var before = await StaffSnapshotAsync(id);
        var school = await App.LoginAsync("school");

        var post = await RosterFixture.PostFormAsync(school, "/Staff", $"/Staff/Edit/{id}", new Dictionary<string, string>
        {
            ["Form.StaffNo"] = "WS-T2", ["Form.Name"] = "被改名", ["Form.Gender"] = ((int)Gender.Female).ToString(CultureInfo.InvariantCulture),
            ["Form.BirthDate"] = "1985-06-15", ["Form.Post"] = "1", ["Form.Education"] = "2", ["Form.Title"] = "0", ["Form.Backbone"] = "0", ["Form.Version"] = "0",
        });
        var html = RosterFixture.Decode(await post.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("该教职工不存在或不在你的管理范围内", html);
        Assert.Equal(before, await StaffSnapshotAsync(id));
    }

    [Fact]
    public async Task Import_UpdatesOwnPupilAndTeacher_OneAuditLineEachWithOldAndNew()
    {
        var school = await App.LoginAsync("school");
        var pupilId = IdNumber.Create("450102", PupilBirth, 205);
        var teacherId = IdNumber.Create("450102", TeacherBirth, 206);
        var first = RosterFixture.Decode(await ImportPageTests.UploadAndWaitAsync(school,
            StudentHeader + "\n" + PupilRow("WSA1", "审计甲", pupilId) + "\n" + PupilRow("WSA2", "不变乙", null) + "\n", "a1.csv", TinyCounty.Year));
        Assert.True(first.Contains("导入成功", StringComparison.Ordinal), first[(first.IndexOf("<main", StringComparison.Ordinal) is var m and >= 0 ? m : 0)..]);
        Assert.Contains("导入成功", await ImportPageTests.UploadAndWaitAsync(school,
            StaffHeader + "\n" + StaffRow("WS-AT", "审计老师", teacherId) + "\n", "at.csv", TinyCounty.Year, "staff"));

        var pupils = RosterFixture.Decode(await ImportPageTests.UploadAndWaitAsync(school,
            StudentHeader + "\n" + PupilRow("WSA1", "审计丙", pupilId) + "\n" + PupilRow("WSA2", "不变乙", null) + "\n", "a2.csv", TinyCounty.Year));
        var staff = RosterFixture.Decode(await ImportPageTests.UploadAndWaitAsync(school,
            StaffHeader + "\n" + StaffRow("WS-AT", "审计老师", teacherId, subject: "数学") + "\n", "at2.csv", TinyCounty.Year, "staff"));

        Assert.Contains("更新 1，未变化 1", pupils);
        Assert.Contains("更新 1", staff);
        await using var db = fx.Open();
        var a1 = await db.Students.Where(s => s.StudentNo == "WSA1").Select(s => s.Id).SingleAsync();
        var at = await db.StaffMembers.Where(s => s.StaffNo == "WS-AT").Select(s => s.Id).SingleAsync();
        var lines = await db.AuditLog.Where(a => a.Action == "导入修改").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(
            [("Student", a1.ToString(CultureInfo.InvariantCulture), "{\"Name\":[\"审计甲\",\"审计丙\"]}", "school", (int?)App.County.EastPrimary.Id),
             ("StaffMember", at.ToString(CultureInfo.InvariantCulture), "{\"Subject\":[\"语文\",\"数学\"]}", "school", (int?)App.County.EastPrimary.Id)],
            lines.Select(l => (l.Entity, l.EntityKey, l.Changes, l.UserName, l.OrgUnitId)));
        var admin = await App.LoginAsync("admin");
        var audit = RosterFixture.Decode(await admin.GetStringAsync($"/Audit?f_entity=Student&f_key={a1}"));
        Assert.Contains("姓名：审计甲 → 审计丙", audit);
    }
}

/// <summary>Its own database: 局管理员 opens a later year by importing it, which moves every page's default year.</summary>
public class NewYearImportTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Import_YearNotYetOpenByAdmin_OpensTheYear()
    {
        var year = SchoolYears.Containing(DateTimeOffset.UtcNow) + 4;
        var header = string.Join(",", Template.For(ImportEntity.Students).Columns.Select(c => c.Header));
        var admin = await app.LoginAsync("admin");

        var html = RosterFixture.Decode(await ImportPageTests.UploadAndWaitAsync(admin,
            header + "\n" + "NY1,新生,男,2017-03-01,,汉族,4500000001,三年级,三(1)班,2023-09,走读,否,否,否,否,否,否,无,否,东镇,在读" + "\n", "new-year.csv", year));

        Assert.Contains($"新建学年 {year}", html);
        await using var db = Core.Data.Database.OpenSystem(app.Database, "test");
        Assert.True(await db.SchoolYears.AnyAsync(y => y.Year == year));
    }
}
