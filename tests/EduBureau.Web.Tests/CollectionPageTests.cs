using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Core.Collection;
using EduBureau.Core.Quality;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using CoreDatabase = EduBureau.Core.Data.Database;

namespace EduBureau.Web.Tests;

/// <summary>
/// 填报任务 pages (#17) through real HTTP, per role, on TinyCounty: 测试县 → 东镇 (东镇小学, 东镇中学) and 西乡 (西乡小学).
/// The bureau admin opens rounds; 科室 and 督学 read but take no step; a school sees its own line; 东镇 its two schools.
/// Every test opens its own round (the deadline far ahead, so "截止日期不能早于今天" never trips).
/// </summary>
public class CollectionPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private const string Deadline = "2099-06-30";

    private static FormUrlEncodedContent OpenForm(string token, string? title, string dataset = "Students", string year = "2025",
        string deadline = Deadline, string? note = null) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = token, ["Form.Title"] = title ?? "", ["Form.Dataset"] = dataset, ["Form.Year"] = year,
        ["Form.Deadline"] = deadline, ["Form.Note"] = note ?? "",
    });

    /// <summary>Opens a round as the bureau admin (<paramref name="admin"/>, else a new sign-in) and returns its id.</summary>
    private async Task<int> OpenRoundAsync(string title, string dataset = "Students", HttpClient? admin = null)
    {
        admin ??= await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Collection");
        var r = await admin.PostAsync("/Collection?handler=Open", OpenForm(token, title, dataset));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var m = Regex.Match(r.Headers.Location!.OriginalString, @"/Collection/Round/(\d+)$");
        Assert.True(m.Success, r.Headers.Location.OriginalString);
        return int.Parse(m.Groups[1].Value);
    }

    private async Task<long> SubmissionIdAsync(int roundId, int unitId)
    {
        await using var ctx = CoreDatabase.OpenSystem(app.Database, "test");
        return await ctx.Set<Submission>().Where(s => s.RoundId == roundId && s.UnitId == unitId).Select(s => s.Id).SingleAsync();
    }

    private async Task<SubmissionState> StateAsync(long id)
    {
        await using var ctx = CoreDatabase.OpenSystem(app.Database, "test");
        return await ctx.Set<Submission>().Where(s => s.Id == id).Select(s => s.State).SingleAsync();
    }

    private async Task<int> RoundCountAsync()
    {
        await using var ctx = CoreDatabase.OpenSystem(app.Database, "test");
        return await ctx.Set<CollectionRound>().CountAsync();
    }

    private static async Task<HttpResponseMessage> StepAsync(HttpClient client, long id, string action, string? comment = null, string? explanation = null)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Collection");
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["action"] = action };
        if (comment is not null) form["comment"] = comment;
        if (explanation is not null) form["explanation"] = explanation;
        return await client.PostAsync($"/Collection/Submission/{id}", new FormUrlEncodedContent(form));
    }

    /// <summary>The unit names of a round board's lines, in order.</summary>
    private static List<string> BoardUnits(string html) =>
        Regex.Matches(html, "<td><a href=\"/Collection/Submission/\\d+\">([^<]+)</a></td>").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task Admin_SeesTheOpenForm_OpensARound_BoardListsEverySchool()
    {
        var admin = await app.LoginAsync("admin");
        var list = await admin.GetStringAsync("/Collection");
        Assert.Contains("发布填报任务", list);
        Assert.Contains("name=\"Form.Title\"", list);
        Assert.Contains("value=\"2025\"", list); // the year defaults to the current one

        var id = await OpenRoundAsync("2025学年秋季学生名册", admin: admin);

        var board = await admin.GetStringAsync($"/Collection/Round/{id}");
        Assert.Contains("填报任务“2025学年秋季学生名册”已发布", board);
        Assert.Contains("2099-06-30", board);
        Assert.Equal(["东镇小学", "东镇中学", "西乡小学"], BoardUnits(board));
        list = await admin.GetStringAsync("/Collection");
        Assert.Contains($"<a href=\"/Collection/Round/{id}\">2025学年秋季学生名册</a>", list);
    }

    [Fact]
    public async Task Admin_InvalidInput_ChineseMessagesBesideTheFields_NothingSaved()
    {
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Collection");
        var before = await RoundCountAsync();

        var r = await admin.PostAsync("/Collection?handler=Open", OpenForm(token, "  ", year: "1999", deadline: "2020-01-01"));
        var noDeadline = await admin.PostAsync("/Collection?handler=Open", OpenForm(token, "名册", deadline: ""));
        var bad = await admin.PostAsync("/Collection?handler=Open", OpenForm(token, "名册", year: "abc"));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Form.Title\"[^>]*>请填写任务名称<", html);
        Assert.Matches("data-valmsg-for=\"Form.Year\"[^>]*>学年无效<", html);
        Assert.Matches("data-valmsg-for=\"Form.Deadline\"[^>]*>截止日期不能早于今天<", html);
        Assert.Equal(HttpStatusCode.OK, noDeadline.StatusCode);
        Assert.Matches("data-valmsg-for=\"Form.Deadline\"[^>]*>请填写截止日期<", await noDeadline.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        html = await bad.Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Form.Year\"[^>]*>“abc”格式不正确<", html);
        // No English on the page (the data-val-* attributes are for a client-side validator the app does not load).
        Assert.DoesNotMatch("is not valid|is required|The value", Regex.Replace(html, "data-val-[a-z]+=\"[^\"]*\"", ""));
        Assert.Equal(before, await RoundCountAsync());
    }

    [Fact]
    public async Task Admin_UnknownDataset_NotOpenedAsTheDefault()
    {
        // A value the select never sends fails binding: the round must not be opened as 学生名册 (the form's default) anyway.
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Collection");
        var before = await RoundCountAsync();

        var r = await admin.PostAsync("/Collection?handler=Open", OpenForm(token, "不存在的填报内容", dataset: "Bogus"));
        var numeric = await admin.PostAsync("/Collection?handler=Open", OpenForm(token, "不存在的填报内容", dataset: "99"));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Matches("data-valmsg-for=\"Form.Dataset\"[^>]*>“Bogus”格式不正确<", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, numeric.StatusCode);
        Assert.Matches("data-valmsg-for=\"Form.Dataset\"[^>]*>“99”格式不正确<", await numeric.Content.ReadAsStringAsync());
        Assert.Equal(before, await RoundCountAsync());
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("duxue")]
    public async Task ReadOnlyRoles_ReadTheListRoundAndSubmission_NoStepButtons_PostsForbidden(string user)
    {
        var id = await OpenRoundAsync($"只读角色查看（{user}）");
        var sub = await SubmissionIdAsync(id, app.County.EastPrimary.Id);
        var client = await app.LoginAsync(user);

        var list = await client.GetStringAsync("/Collection");
        var board = await client.GetStringAsync($"/Collection/Round/{id}");
        var page = await client.GetAsync($"/Collection/Submission/{sub}");
        var step = await StepAsync(client, sub, "Submit");
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Collection");
        var open = await client.PostAsync("/Collection?handler=Open", OpenForm(token, "越权发布"));

        Assert.Contains($"只读角色查看（{user}）", list);
        Assert.DoesNotContain("发布填报任务", list);
        Assert.DoesNotContain("name=\"Form.Title\"", list);
        Assert.Equal(["东镇小学", "东镇中学", "西乡小学"], BoardUnits(board));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("东镇小学", html);
        Assert.DoesNotContain("data-action=", html);
        Assert.DoesNotContain("<h2>办理</h2>", html);
        Assert.Equal(HttpStatusCode.Forbidden, step.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, open.StatusCode);
        Assert.Equal(SubmissionState.NotSubmitted, await StateAsync(sub));
        Assert.DoesNotContain("越权发布", await client.GetStringAsync("/Collection"));
    }

    [Fact]
    public async Task School_SeesOnlyItsOwnLine_SubmitsItsOwn_CannotOpenOrTouchAnother()
    {
        var id = await OpenRoundAsync("学校只看本校");
        var own = await SubmissionIdAsync(id, app.County.EastPrimary.Id);
        var other = await SubmissionIdAsync(id, app.County.WestPrimary.Id);
        var school = await app.LoginAsync("school");

        var list = await school.GetStringAsync("/Collection");
        var board = await school.GetStringAsync($"/Collection/Round/{id}");
        var ownPage = await school.GetStringAsync($"/Collection/Submission/{own}");
        var otherPage = await school.GetAsync($"/Collection/Submission/{other}");
        var token = await WebAppFactory.AntiforgeryTokenAsync(school, "/Collection");
        var open = await school.PostAsync("/Collection?handler=Open", OpenForm(token, "学校发布"));
        var otherStep = await StepAsync(school, other, "Submit");

        Assert.DoesNotContain("name=\"Form.Title\"", list);
        Assert.Equal(["东镇小学"], BoardUnits(board));
        Assert.Contains("data-action=\"Submit\"", ownPage);
        Assert.DoesNotContain("data-action=\"Approve\"", ownPage);
        Assert.DoesNotContain("data-action=\"Lock\"", ownPage);
        Assert.Equal(HttpStatusCode.NotFound, otherPage.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, open.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherStep.StatusCode);
        Assert.Equal(SubmissionState.NotSubmitted, await StateAsync(other));

        var submit = await StepAsync(school, own, "Submit");
        Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        Assert.Equal(SubmissionState.Submitted, await StateAsync(own));
        Assert.Contains("已提交，当前状态：已提交", await school.GetStringAsync($"/Collection/Submission/{own}"));
    }

    [Fact]
    public async Task Township_SeesItsTwoSchoolsOnly_ReviewsNotSubmits()
    {
        var id = await OpenRoundAsync("乡镇看本乡镇");
        var east = await app.LoginAsync("east");
        var westSub = await SubmissionIdAsync(id, app.County.WestPrimary.Id);

        var board = await east.GetStringAsync($"/Collection/Round/{id}");
        var list = await east.GetStringAsync("/Collection");
        var west = await east.GetAsync($"/Collection/Submission/{westSub}");

        Assert.Equal(["东镇小学", "东镇中学"], BoardUnits(board));
        Assert.DoesNotContain("西乡小学", board);
        // The list counts the township's own two units: 单位数 2, both 未提交.
        var row = Regex.Match(list, $"<tr>\\s*<td><a href=\"/Collection/Round/{id}\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Matches("<td class=\"num\">2</td>\\s*<td class=\"num\">2</td>", row);
        Assert.Equal(HttpStatusCode.NotFound, west.StatusCode);
        // Before the school submits, the township has nothing to do on the school's line.
        var page = await east.GetStringAsync($"/Collection/Submission/{await SubmissionIdAsync(id, app.County.EastPrimary.Id)}");
        Assert.DoesNotContain("data-action=", page);
    }

    [Fact]
    public async Task Findings_Export_IsAnXlsxWithTheChineseHeaderRow_AndTheFinding()
    {
        // A bureau rule every primary school of 3+ pupils passes: 东镇小学 (2 pupils) breaks it when it submits.
        await using (var ctx = CoreDatabase.Open(app.Database, UserScope.ForUser("admin", Roles.BureauAdmin, app.County.County.Id, app.County.County.Path)))
        {
            var saved = await QualityRuleStore.SaveAsync(ctx, new QualityRuleInput("export_min_pupils", "在校生过少（导出测试）", "学生", ">=", "3",
                RuleSeverity.Error, CollectionDataset.Classes), TimeProvider.System);
            Assert.True(saved.Succeeded, saved.Message);
        }
        var id = await OpenRoundAsync("问题清单导出", "Classes");
        var sub = await SubmissionIdAsync(id, app.County.EastPrimary.Id);
        var school = await app.LoginAsync("school");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(school, sub, "Submit")).StatusCode); // an error does not block 提交
        var keshi = await app.LoginAsync("keshi");

        var r = await keshi.GetAsync($"/Collection/Round/{id}?handler=Findings");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType?.MediaType);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        var rows = MiniExcel.Query(new MemoryStream(bytes)).Cast<IDictionary<string, object?>>()
            .Select(x => x.Values.Select(v => v?.ToString() ?? "").ToList()).ToList();
        Assert.Equal(["学校", "学校标识码", "规则", "级别", "说明", "预警说明", "填报状态"], rows[0]);
        var line = Assert.Single(rows.Skip(1), x => x[2] == "在校生过少（导出测试）");
        Assert.Equal(["东镇小学", "4500000001", "在校生过少（导出测试）", "错误", "东镇小学：学生 = 2，应 >= 3", "", "已提交"], line);
        Assert.Contains("问题清单", r.Content.Headers.ContentDisposition?.FileNameStar ?? r.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task Return_TheSchoolsNoticeLinksToTheSubmission()
    {
        var id = await OpenRoundAsync("退回通知");
        var sub = await SubmissionIdAsync(id, app.County.EastJunior.Id);
        var east = await app.LoginAsync("east");
        await using (var ctx = CoreDatabase.Open(app.Database, UserScope.ForUser("junior", Roles.School, app.County.EastJunior.Id, app.County.EastJunior.Path)))
            Assert.True((await CollectionRounds.StepAsync(ctx, sub, SubmissionAction.Submit, null, "新学年新建校舍", TimeProvider.System)).Succeeded);

        var r = await StepAsync(east, sub, "Return", comment: "请核对八年级人数");

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        string link;
        await using (var ctx = CoreDatabase.OpenSystem(app.Database, "test"))
            link = await ctx.Set<Notice>().Where(n => n.UnitId == app.County.EastJunior.Id && n.Text.Contains("请核对八年级人数")).Select(n => n.Link!).SingleAsync();
        // The school's account opens the link from its home page's 需要关注 list.
        await using (var ctx = CoreDatabase.OpenSystem(app.Database, "test"))
            await UserAccounts.CreateAsync(ctx, "junior", WebAppFactory.Password, Roles.School, app.County.EastJunior.Id);
        var junior = await app.LoginAsync("junior");
        Assert.Contains(link.Replace("&", "&amp;"), await junior.GetStringAsync("/"));
        var page = await junior.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("请核对八年级人数", await page.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Bogus")]
    [InlineData("")]
    public async Task Step_WithoutAKnownAction_DoesNothing(string action)
    {
        var id = await OpenRoundAsync($"未知办理（{action}）");
        var sub = await SubmissionIdAsync(id, app.County.EastPrimary.Id);
        var school = await app.LoginAsync("school");

        var r = await StepAsync(school, sub, action);

        Assert.NotEqual(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(SubmissionState.NotSubmitted, await StateAsync(sub));
    }
}

/// <summary>
/// A 教学点 (under its 中心校 东镇小学, so under 东镇) on a round's board: its own fixture, since the extra school would
/// change the other tests' boards.
/// </summary>
public class CollectionTeachingPointTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    /// <summary>
    /// Known bug (CollectionRounds.cs, Core, not fixed here): OpenAsync sets ViaTownship only when the unit's parent is a
    /// township, and BoardAsync names the parent as the township only then. A 教学点's parent is its 中心校, so it is shown
    /// as "直属" — also on its own township's board — and skips the township's review (in the demo county 9 教学点 out of
    /// 72 units). Fix: take the township from School.TownshipId (or the nearest Township ancestor by Path) in both.
    /// Un-skip once fixed.
    /// </summary>
    [Fact]
    public async Task TeachingPoint_ListedUnderItsTownship_ReviewedByIt()
    {
        int pointId;
        await using (var ctx = EduBureau.Core.Data.Database.OpenSystem(app.Database, "test"))
        {
            var unit = new EduBureau.Core.Organization.OrgUnit { Name = "东镇李村教学点", Kind = EduBureau.Core.Common.OrgUnitKind.School, Code = "4500000009" };
            ctx.OrgUnits.Add(unit);
            await ctx.SaveChangesAsync();
            unit.PlaceUnder(await ctx.OrgUnits.SingleAsync(u => u.Id == app.County.EastPrimary.Id));
            await ctx.SaveChangesAsync();
            ctx.Schools.Add(new EduBureau.Core.Organization.School
            {
                Id = unit.Id, Code = "4500000009", Name = "东镇李村教学点", Level = EduBureau.Core.Common.SchoolLevel.Primary,
                Ownership = EduBureau.Core.Common.Ownership.Public, UrbanRural = EduBureau.Core.Common.UrbanRural.Rural,
                TownshipId = app.County.East.Id, CountyId = app.County.County.Id, ParentSchoolId = app.County.EastPrimary.Id, Path = unit.Path,
            });
            await ctx.SaveChangesAsync();
            pointId = unit.Id;
        }
        var admin = await app.LoginAsync("admin");
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Collection");
        var open = await admin.PostAsync("/Collection?handler=Open", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Form.Title"] = "教学点", ["Form.Dataset"] = "Students", ["Form.Year"] = "2025", ["Form.Deadline"] = "2099-06-30",
        }));
        var id = int.Parse(Regex.Match(open.Headers.Location!.OriginalString, @"/Collection/Round/(\d+)$").Groups[1].Value);
        bool via;
        await using (var ctx = EduBureau.Core.Data.Database.OpenSystem(app.Database, "test"))
            via = await ctx.Set<Submission>().Where(s => s.RoundId == id && s.UnitId == pointId).Select(s => s.ViaTownship).SingleAsync();

        var east = await app.LoginAsync("east");
        var board = await east.GetStringAsync($"/Collection/Round/{id}");

        Assert.True(via, "教学点的填报应先经乡镇审核");
        Assert.DoesNotContain("直属", board);
        Assert.Matches("<td class=\"nw\">东镇</td>\\s*<td[^>]*><a href=\"/Collection/Submission/\\d+\">东镇李村教学点</a>", board);
    }
}
