using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Core.Aid;
using EduBureau.Core.Common;
using EduBureau.Core.Dropout;
using EduBureau.Core.Exams;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// The pupil's page and form (#15): the year's flags, 就读方式, 残疾类型 and guardian on the page and in the form,
/// 民族 from the GB/T 3304 list (checked on the server), and links to the pupil's scores, aid and dropout case.
/// </summary>
public class PupilRecordTests(RosterFixture fx) : IClassFixture<RosterFixture>
{
    private WebAppFactory App => fx.App;

    private static Dictionary<string, string> EditForm(Student s, Dictionary<string, string>? more = null)
    {
        var form = new Dictionary<string, string>
        {
            ["Form.StudentNo"] = s.StudentNo, ["Form.Name"] = s.Name, ["Form.Gender"] = ((int)s.Gender).ToString(),
            ["Form.BirthDate"] = s.BirthDate.ToString("yyyy-MM-dd"), ["Form.Grade"] = ((int)Grade.G3).ToString(), ["Form.Version"] = s.Version.ToString(),
        };
        foreach (var (k, v) in more ?? []) form[k] = v;
        return form;
    }

    [Fact]
    public async Task Edit_FlagsBoardingDisabilityGuardianAndEthnicity_SavedAndShownOnDetail()
    {
        var pupil = await fx.AddPupilAsync("刘留守");
        var client = await App.LoginAsync("school");

        var saved = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", EditForm(pupil, new()
        {
            ["Form.Ethnicity"] = "苗族", ["Form.Disability"] = ((int)DisabilityType.Intellectual).ToString(),
            ["Form.GuardianName"] = "刘大山", ["Form.GuardianRelation"] = "祖父母", ["Form.GuardianPhone"] = "13800001234",
            ["Form.Boarding"] = ((int)BoardingMode.Boarding).ToString(), ["Form.LeftBehind"] = "true", ["Form.PovertyRegistered"] = "true",
        }));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await fx.FindAsync(pupil.Id);
        var e = after!.Enrollments.Single(x => x.Year == TinyCounty.Year);
        Assert.Equal(("苗族", DisabilityType.Intellectual, "刘大山", "祖父母", "13800001234"),
            (after.Ethnicity, after.Disability, after.GuardianName, after.GuardianRelation, after.GuardianPhone));
        Assert.Equal((BoardingMode.Boarding, true, true, false, false), (e.Boarding, e.LeftBehind, e.PovertyRegistered, e.Migrant, e.Orphan));
        var html = RosterFixture.Decode(await client.GetStringAsync($"/Students/Detail/{pupil.Id}"));
        var flags = Regex.Match(html, $"<td data-flags=\"{TinyCounty.Year}\">(.*?)</td>").Groups[1].Value;
        Assert.NotEqual("", flags);
        Assert.Contains("<span class=\"tag\">建档立卡</span>", flags);
        Assert.Contains("<span class=\"tag\">留守儿童</span>", flags);
        Assert.DoesNotContain("随迁子女", flags);
        Assert.Contains("<td>住校</td>", html);
        Assert.Contains("<dd>智力</dd>", html);
        Assert.Contains("<dd data-field=\"guardian\">刘大山（祖父母）</dd>", html);
        Assert.Contains("<dd data-field=\"guardian-phone\">13800001234</dd>", html);
        // Unchecking a flag clears it (an unchecked box posts nothing).
        var again = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", EditForm(after, new() { ["Form.Ethnicity"] = "苗族", ["Form.LeftBehind"] = "true" }));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var cleared = (await fx.FindAsync(pupil.Id))!.Enrollments.Single(x => x.Year == TinyCounty.Year);
        Assert.Equal((true, false, BoardingMode.Day), (cleared.LeftBehind, cleared.PovertyRegistered, cleared.Boarding));
        await using var db = fx.Open();
        Assert.True(await db.AuditLog.AnyAsync(a => a.Entity == "Student" && a.EntityKey == pupil.Id.ToString() && a.Changes!.Contains("GuardianPhone")), "the guardian change is audited");
    }

    [Fact]
    public async Task Edit_EthnicityOutsideListOrBadPhone_RefusedNamingFieldAndNothingSaved()
    {
        var pupil = await fx.AddPupilAsync("钱民族");
        var client = await App.LoginAsync("school");

        var response = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", EditForm(pupil, new()
        {
            ["Form.Name"] = "钱改名", ["Form.Ethnicity"] = "火星族", ["Form.GuardianPhone"] = "138-0000-1234",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = RosterFixture.Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains("民族：“火星族”不在民族列表中", html);
        Assert.Contains("联系电话应为7到20位数字", html);
        var after = await fx.FindAsync(pupil.Id);
        Assert.Equal(("钱民族", null, null), (after!.Name, after.Ethnicity, after.GuardianPhone));
    }

    [Fact]
    public async Task EditForm_Ethnicity_IsDropDownInStandardOrderAndKeepsUnknownStoredValue()
    {
        var pupil = await fx.AddPupilAsync("孙穿青");
        await using (var db = fx.Open())
        {
            var s = await db.Students.SingleAsync(x => x.Id == pupil.Id);
            s.Ethnicity = "穿青人"; // stored before the list: not one of the 56
            await db.SaveChangesAsync();
            pupil = s;
        }
        var client = await App.LoginAsync("school");

        var form = RosterFixture.Decode(await client.GetStringAsync($"/Students/Edit/{pupil.Id}"));
        var kept = await RosterFixture.PostFormAsync(client, "/Students", $"/Students/Edit/{pupil.Id}", EditForm(pupil, new() { ["Form.Ethnicity"] = "穿青人" }));

        var select = Regex.Match(form, "<select[^>]*name=\"Form.Ethnicity\"[^>]*>(.*?)</select>").Groups[1].Value;
        var values = Regex.Matches(select, "<option[^>]*value=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["", "穿青人", "汉族", "蒙古族", "回族"], values.Take(5));
        Assert.Equal(59, values.Count);                           // 请选择, the stored value, 56 民族, 其他
        Assert.Equal("基诺族", values[^2]);
        Assert.Contains("<option selected=\"selected\" value=\"穿青人\">穿青人（原登记值，不在列表中）</option>", select);
        Assert.Equal(HttpStatusCode.Redirect, kept.StatusCode);
        Assert.Equal("穿青人", (await fx.FindAsync(pupil.Id))!.Ethnicity);
    }

    [Fact]
    public async Task Detail_ScoresAidAndCase_LinkedForUsersWhoSeeThem_NoneSaysWu()
    {
        var pupil = await fx.AddPupilAsync("周链接");
        var bare = await fx.AddPupilAsync("吴空白");
        var c = App.County;
        long caseId;
        await using (var db = fx.Open())
        {
            var exam = new Exam { Name = "2025秋季期中考试", Date = new DateOnly(2025, 11, 10), Year = TinyCounty.Year, Grade = Grade.G3, ScopeUnitId = c.County.Id };
            exam.Subjects.Add(new ExamSubject { Name = "语文", FullMarks = 100, Order = 1 });
            db.Add(exam);
            var program = new AidProgram { Name = "寄宿生生活补助", Level = AidLevel.Primary, AmountPerTerm = 625 };
            db.Add(program);
            var dropout = new DropoutCase
            {
                Year = TinyCounty.Year, StudentId = pupil.Id, Name = pupil.Name, SchoolId = c.EastPrimary.Id, TownshipId = c.East.Id,
                OpenedOn = new DateOnly(2025, 10, 1),
            };
            db.Add(dropout);
            await db.SaveChangesAsync();
            db.Add(new Score { ExamId = exam.Id, SubjectId = exam.Subjects[0].Id, StudentId = pupil.Id, SchoolId = c.EastPrimary.Id, ClassName = "三(1)班", Value = 88 });
            db.Add(new AidDisbursement
            {
                Year = TinyCounty.Year, Term = 1, ProgramId = program.Id, StudentNo = pupil.StudentNo, Name = pupil.Name, StudentId = pupil.Id,
                SchoolId = c.EastPrimary.Id, Amount = 1250, SourceFile = "发放.xlsx", SourceRow = 2,
            });
            await db.SaveChangesAsync();
            caseId = dropout.Id;
        }
        var school = await App.LoginAsync("school");
        var keshi = await App.LoginAsync("keshi");

        var html = RosterFixture.Decode(await school.GetStringAsync($"/Students/Detail/{pupil.Id}"));
        var empty = RosterFixture.Decode(await school.GetStringAsync($"/Students/Detail/{bare.Id}"));
        var county = RosterFixture.Decode(await keshi.GetStringAsync($"/Students/Detail/{pupil.Id}"));

        var examLink = Regex.Match(html, "href=\"(/Exams/Class\\?id=\\d+&school=\\d+&class=[^\"]+)\">2025秋季期中考试</a>").Groups[1].Value;
        Assert.NotEqual("", examLink);
        Assert.Equal(HttpStatusCode.OK, (await school.GetAsync(examLink)).StatusCode);
        Assert.Contains("寄宿生生活补助", html);
        Assert.Contains("1,250.00", html);
        Assert.Contains($"href=\"/Dropout/Case/{caseId}\"", html);
        Assert.Equal(HttpStatusCode.OK, (await school.GetAsync($"/Dropout/Case/{caseId}")).StatusCode);
        Assert.Contains($"href=\"/Dropout/Case/{caseId}\"", county);
        Assert.Equal(3, Regex.Matches(empty, "<p class=\"muted\">无</p>").Count);   // no scores, no aid, no case
        Assert.Matches($"<td data-flags=\"{TinyCounty.Year}\">\\s*<span class=\"muted\">无</span>\\s*</td>", empty);
    }

    [Fact]
    public async Task Detail_GuardianContact_MaskedForDepartmentAndInspector()
    {
        var pupil = await fx.AddPupilAsync("郑监护");
        await using (var db = fx.Open())
        {
            var s = await db.Students.SingleAsync(x => x.Id == pupil.Id);
            (s.GuardianName, s.GuardianRelation, s.GuardianPhone) = ("郑大海", "父亲", "13912345678");
            await db.SaveChangesAsync();
        }

        var school = RosterFixture.Decode(await (await App.LoginAsync("school")).GetStringAsync($"/Students/Detail/{pupil.Id}"));
        var keshi = RosterFixture.Decode(await (await App.LoginAsync("keshi")).GetStringAsync($"/Students/Detail/{pupil.Id}"));

        Assert.Contains("<dd data-field=\"guardian-phone\">13912345678</dd>", school);
        Assert.Contains("<dd data-field=\"guardian\">郑**（父亲）</dd>", keshi);
        Assert.Contains("<dd data-field=\"guardian-phone\">*******5678</dd>", keshi);
        Assert.DoesNotContain("13912345678", keshi);
    }
}
