using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EduBureau.Core.Data;
using EduBureau.Core.Plans;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>
/// Plans pages over TinyCounty plus 3–5 岁 population (东镇 2 per age, 西乡 1 per age): no kindergarten pupils, so
/// 学前三年毛入园率 = 0 / 9 = 0.0% everywhere — a red target. Each test imports its own plan (year 2025, replace).
/// </summary>
public class PlanPagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.SeedPreschoolPopulationAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static byte[] Outline(params Dictionary<string, object?>[] rows)
    {
        var all = rows.Select(r => PlanOutline.Columns.ToDictionary(c => c, c => r.GetValueOrDefault(c))).ToList();
        using var ms = new MemoryStream();
        ms.SaveAs(all);
        return ms.ToArray();
    }

    private static byte[] GoodOutline() => Outline(
        new() { ["层级"] = "部分", ["内容"] = "一、学前教育" },
        new() { ["层级"] = "目标", ["内容"] = "学前三年毛入园率达到 90.1%", ["指标"] = "preschool_gross_enrollment_3y", ["比较"] = "≥", ["目标值"] = 90.1, ["乡村目标"] = 80, ["后续年份目标"] = "2026:92" },
        new() { ["层级"] = "措施", ["内容"] = "新建公办幼儿园", ["责任科室"] = "学前教育股", ["完成期限"] = "2020-01-31", ["状态"] = "进行中" },
        new() { ["层级"] = "措施", ["内容"] = "东镇小学附设学前班", ["责任学校标识码"] = "4500000001", ["完成期限"] = "2099-06-30", ["状态"] = "未开始" });

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] xlsx, string fileName = "计划.xlsx")
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Plans");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("2025"), "ImportYear" },
            { new StringContent("2025年教育工作计划"), "Title" },
            { new StringContent("true"), "Replace" },
        };
        var file = new ByteArrayContent(xlsx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "Upload", fileName);
        return await client.PostAsync("/Plans?handler=Import", form);
    }

    private async Task<int> ImportGoodPlanAsync()
    {
        var admin = await app.LoginAsync("admin");
        var r = await ImportAsync(admin, GoodOutline());
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        return int.Parse(Regex.Match(r.Headers.Location!.OriginalString, @"/Plans/Detail/(\d+)").Groups[1].Value);
    }

    [Fact]
    public async Task Import_Outline_DetailShowsCurrentValueGapAndOverdue()
    {
        var id = await ImportGoodPlanAsync();
        var keshi = await app.LoginAsync("keshi");

        var html = await keshi.GetStringAsync($"/Plans/Detail/{id}");

        Assert.Contains("学前三年毛入园率达到 90.1%", html);
        Assert.Contains("0.0%", html);                 // 0 / 9
        Assert.Contains("-90.1 个百分点", html);        // gap = 0 − 90.1
        Assert.Contains("乡村 ≥ 80", html);             // 城乡 target listed
        Assert.Contains("2026年 ≥ 92", html);           // later-year target listed
        var overdueRows = Regex.Matches(html, "<tr id=\"task-\\d+\" class=\"overdue\"").Count;
        Assert.Equal(1, overdueRows);                   // 2020-01-31 进行中; the 2099 task is not overdue
    }

    [Fact]
    public async Task Dashboard_WithPlan_ShowsTargetGapStateAndOverdueTask()
    {
        await ImportGoodPlanAsync();
        var keshi = await app.LoginAsync("keshi");

        var html = await keshi.GetStringAsync("/");

        Assert.Contains("目标完成情况", html);
        Assert.Contains("card red\" data-code=\"preschool_gross_enrollment_3y\"", html);
        Assert.Contains("≥ 90.1%", html);
        Assert.Contains("新建公办幼儿园", html);       // in the overdue list
        Assert.DoesNotContain("东镇小学附设学前班", html);
        Assert.Contains("<svg", html);
    }

    [Fact]
    public async Task Breakdown_ByUrbanRural_UsesPerAreaTarget()
    {
        await ImportGoodPlanAsync();
        var keshi = await app.LoginAsync("keshi");

        var html = await keshi.GetStringAsync("/Indicators/Detail?code=preschool_gross_enrollment_3y&by=UrbanRural");

        // 东镇 is 镇区 (target 90.1, the plan target), 西乡 is 乡村 (target 80 from the outline).
        var rural = Regex.Match(html, "<tr data-unit=\"Rural\">(.*?)</tr>", RegexOptions.Singleline);
        var town = Regex.Match(html, "<tr data-unit=\"Town\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(rural.Success && town.Success, html);
        Assert.Contains("≥ 80.0%", rural.Value);
        Assert.Contains("≥ 90.1%", town.Value);
    }

    [Fact]
    public async Task Report_SchoolUserOnOwnTask_SavedWithAttachment_DepartmentTaskForbidden()
    {
        var id = await ImportGoodPlanAsync();
        var school = await app.LoginAsync("school");
        int own, other;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            var tasks = await ctx.Set<PlanTask>().Where(t => t.Section.PlanId == id).ToListAsync();
            own = tasks.Single(t => t.SchoolId == app.County.EastPrimary.Id).Id;
            other = tasks.Single(t => t.SchoolId == null).Id;
        }
        var token = await WebAppFactory.AntiforgeryTokenAsync(school, $"/Plans/Detail/{id}");
        MultipartFormDataContent Form(int taskId)
        {
            var f = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent(taskId.ToString()), "taskId" },
                { new StringContent("已完成场地改造"), "text" },
                { new StringContent("2025-10-08"), "date" },
            };
            f.Add(new ByteArrayContent("照片说明"u8.ToArray()), "attachment", "说明.txt");
            return f;
        }

        var ok = await school.PostAsync($"/Plans/Detail/{id}?handler=Report", Form(own));
        var forbidden = await school.PostAsync($"/Plans/Detail/{id}?handler=Report", Form(other));

        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var html = await school.GetStringAsync($"/Plans/Detail/{id}");
        Assert.Contains("2025-10-08", html);
        Assert.Contains("已完成场地改造", html);
        var link = Regex.Match(html, "href=\"(/Plans/Detail/\\d+\\?handler=Attachment&(?:amp;)?reportId=\\d+)\"").Groups[1].Value.Replace("&amp;", "&");
        Assert.NotEqual("", link);
        var file = await school.GetByteArrayAsync(link);
        Assert.Equal("照片说明"u8.ToArray(), file);
    }

    [Fact]
    public async Task Status_AdminMarksDone_NoLongerOverdue()
    {
        var id = await ImportGoodPlanAsync();
        var keshi = await app.LoginAsync("admin");
        int taskId;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
            taskId = await ctx.Set<PlanTask>().Where(t => t.Section.PlanId == id && t.SchoolId == null).Select(t => t.Id).SingleAsync();
        var token = await WebAppFactory.AntiforgeryTokenAsync(keshi, $"/Plans/Detail/{id}");

        var r = await keshi.PostAsync($"/Plans/Detail/{id}?handler=Status", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["taskId"] = taskId.ToString(), ["status"] = "Done", ["deadline"] = "2020-01-31",
        }));

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var html = await keshi.GetStringAsync($"/Plans/Detail/{id}");
        Assert.DoesNotContain("class=\"overdue\"", html);
    }

    [Fact]
    public async Task Export_Plan_HasCurrentValuesAndOverdueFlag()
    {
        var id = await ImportGoodPlanAsync();
        var keshi = await app.LoginAsync("keshi");

        var r = await keshi.GetAsync($"/Plans/Detail/{id}?handler=Export");

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType?.MediaType);
        var rows = MiniExcel.Query(await r.Content.ReadAsStreamAsync(), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        var goal = rows.Single(x => (string?)x["层级"] == "目标");
        Assert.Equal(0.0, Convert.ToDouble(goal["当前值"]), 6);
        Assert.Equal(-90.1, Convert.ToDouble(goal["差距"]), 6);
        Assert.Equal("未达标", goal["达标情况"]);
        Assert.Equal("是", rows.Single(x => (string?)x["内容"] == "新建公办幼儿园")["逾期"]);
        Assert.Null(rows.Single(x => (string?)x["内容"] == "东镇小学附设学前班")["逾期"]);
    }

    [Fact]
    public async Task Import_BadOutline_ShowsRowAndColumnAndSavesNothing()
    {
        var keshi = await app.LoginAsync("admin");
        var bad = Outline(
            new() { ["层级"] = "部分", ["内容"] = "一、学前教育" },
            new() { ["层级"] = "目标", ["内容"] = "某目标", ["指标"] = "no_such_code", ["比较"] = "≥", ["目标值"] = 90 });
        int before;
        await using (var ctx = Database.OpenSystem(app.Database, "test")) before = await ctx.Set<WorkPlan>().CountAsync();

        var r = await ImportAsync(keshi, bad, "坏提纲.xlsx");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("文件“坏提纲.xlsx”第 3 行“指标”列", html);
        await using (var ctx = Database.OpenSystem(app.Database, "test")) Assert.Equal(before, await ctx.Set<WorkPlan>().CountAsync());
    }

    [Fact]
    public async Task Template_Downloaded_ImportsAsIs()
    {
        var admin = await app.LoginAsync("admin");

        var template = await admin.GetByteArrayAsync("/Plans?handler=Template");
        var r = await ImportAsync(admin, template, "模板.xlsx");

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var html = await admin.GetStringAsync(r.Headers.Location!.OriginalString);
        Assert.Contains("大班额比例控制在 5% 以内", html);
        Assert.Contains("秋季开学后 30 天内完成劝返", html);
    }

    [Fact]
    public async Task Import_ReadOnlyDepartmentUser_Forbidden()
    {
        var keshi = await app.LoginAsync("keshi");

        var r = await ImportAsync(keshi, GoodOutline());

        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
    }

    [Fact]
    public async Task Plans_TownshipUser_SeesCountyPlanWithoutImportForm()
    {
        await ImportGoodPlanAsync();
        var east = await app.LoginAsync("east");

        var html = await east.GetStringAsync("/Plans");

        Assert.Contains("2025年教育工作计划", html);
        Assert.DoesNotContain("handler=Import", html);
    }

    private static async Task<HttpResponseMessage> PostEditAsync(HttpClient client, int planId, string query, string handler, Dictionary<string, string> fields)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, $"/Plans/Edit/{planId}?{query}");
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync($"/Plans/Edit/{planId}?{query}&handler={handler}", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Edit_GoalInPlace_NewTargetsSavedAndBadInputChangesNothing()
    {
        var id = await ImportGoodPlanAsync();
        var admin = await app.LoginAsync("admin");
        var keshi = await app.LoginAsync("keshi"); // 科室: reads plans, does not edit them
        int goalId;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
            goalId = await ctx.Set<PlanGoal>().Where(g => ctx.Set<PlanSection>().Any(s => s.Id == g.SectionId && s.PlanId == id)).Select(g => g.Id).SingleAsync();
        var form = await admin.GetStringAsync($"/Plans/Edit/{id}?goal={goalId}");
        var keshiForm = await keshi.GetAsync($"/Plans/Edit/{id}?goal={goalId}");

        var bad = await PostEditAsync(admin, id, $"goal={goalId}", "Save", new()
        {
            ["GoalForm.Text"] = "学前三年毛入园率达到 95%", ["GoalForm.Indicator"] = "preschool_gross_enrollment_3y", ["GoalForm.Comparator"] = "≥",
            ["GoalForm.Target"] = "", ["GoalForm.LaterTargets"] = "明年:96",
        });
        var badHtml = await bad.Content.ReadAsStringAsync();
        var good = await PostEditAsync(admin, id, $"goal={goalId}", "Save", new()
        {
            ["GoalForm.Text"] = "学前三年毛入园率达到 95%", ["GoalForm.Indicator"] = "preschool_gross_enrollment_3y", ["GoalForm.Comparator"] = "≥",
            ["GoalForm.Target"] = "95", ["GoalForm.TownTarget"] = "93", ["GoalForm.LaterTargets"] = "2026:96",
        });

        Assert.Equal(HttpStatusCode.Forbidden, keshiForm.StatusCode);
        Assert.Contains("value=\"90.1\"", form);                 // the form opens with the goal's values
        Assert.Contains("value=\"2026:92\"", form);
        Assert.Contains("value=\"80\"", form);                   // 乡村目标
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("目标值：绑定指标的目标必须填写目标值", badHtml);
        Assert.Contains("后续年份目标：“明年:96”应写成 年份:目标值", badHtml);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal($"/Plans/Detail/{id}#goal-{goalId}", good.Headers.Location!.OriginalString);
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            var goal = await ctx.Set<PlanGoal>().Include(g => g.Targets).SingleAsync(g => g.Id == goalId);
            Assert.Equal(("学前三年毛入园率达到 95%", 95.0), (goal.Text, goal.Target));
            Assert.Equal(["-:2026:96", "Town:-:93"], goal.Targets.Select(t => $"{t.UrbanRural?.ToString() ?? "-"}:{t.Year?.ToString() ?? "-"}:{t.Value}").Order(StringComparer.Ordinal));
            Assert.True(await ctx.AuditLog.AnyAsync(a => a.Entity == "PlanGoal" && a.UserName == "admin"), "the edit is audited");
        }
        var detail = await keshi.GetStringAsync($"/Plans/Detail/{id}");
        Assert.Contains("镇区 ≥ 93", detail);
        Assert.DoesNotContain("乡村 ≥ 80", detail);
    }

    [Fact]
    public async Task Edit_AddChangeAndDeleteMeasure_TownshipUserForbidden()
    {
        var id = await ImportGoodPlanAsync();
        var admin = await app.LoginAsync("admin");
        var east = await app.LoginAsync("east");
        int sectionId;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
            sectionId = await ctx.Set<PlanSection>().Where(s => s.PlanId == id).Select(s => s.Id).SingleAsync();

        var unknownSchool = await PostEditAsync(admin, id, $"section={sectionId}&kind=task", "Save", new()
        {
            ["TaskForm.Text"] = "西乡小学改扩建", ["TaskForm.SchoolCode"] = "4599999999", ["TaskForm.Status"] = "未开始",
        });
        var added = await PostEditAsync(admin, id, $"section={sectionId}&kind=task", "Save", new()
        {
            ["TaskForm.Text"] = "西乡小学改扩建", ["TaskForm.SchoolCode"] = "4500000003", ["TaskForm.Deadline"] = "2099-08-31", ["TaskForm.Status"] = "进行中",
        });
        var taskId = int.Parse(Regex.Match(added.Headers.Location!.OriginalString, @"#task-(\d+)").Groups[1].Value);
        var forbidden = await east.GetAsync($"/Plans/Edit/{id}?task={taskId}");
        var detailAfterAdd = await admin.GetStringAsync($"/Plans/Detail/{id}");
        var deleted = await PostEditAsync(admin, id, $"task={taskId}", "Delete", []);

        Assert.Contains("责任学校标识码：找不到学校标识码“4599999999”", await unknownSchool.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var row = Regex.Match(detailAfterAdd, $"<tr id=\"task-{taskId}\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("西乡小学改扩建", row);
        Assert.Contains("西乡小学", row.Replace("西乡小学改扩建", ""));
        Assert.Contains("2099-08-31", row);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            Assert.False(await ctx.Set<PlanTask>().AnyAsync(t => t.Id == taskId));
            Assert.Equal(2, await ctx.Set<PlanTask>().CountAsync(t => t.SectionId == sectionId)); // the outline's two measures stay
        }
    }

    /// <summary>A 科室 account for 学前教育股 (the outline's 责任科室 of 新建公办幼儿园); the display name carries a note in brackets.</summary>
    private async Task<HttpClient> PreschoolDepartmentAsync()
    {
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
            if (!await ctx.Users.AnyAsync(u => u.UserName == "xueqian"))
                await Core.Security.UserAccounts.CreateAsync(ctx, "xueqian", WebAppFactory.Password, Core.Security.Roles.Department,
                    app.County.County.Id, "学前教育股（科室）");
        return await app.LoginAsync("xueqian");
    }

    private async Task<(int Department, int School)> TaskIdsAsync(int planId)
    {
        await using var ctx = Database.OpenSystem(app.Database, "test");
        var tasks = await ctx.Set<PlanTask>().Where(t => t.Section.PlanId == planId).ToListAsync();
        return (tasks.Single(t => t.Department == "学前教育股").Id, tasks.Single(t => t.SchoolId != null).Id);
    }

    private static async Task<HttpResponseMessage> PostTaskAsync(HttpClient client, int planId, string handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(client, $"/Plans/Detail/{planId}");
        return await client.PostAsync($"/Plans/Detail/{planId}?handler={handler}", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Report_DepartmentOnOwnMeasure_SavedAndStatusSet_OtherMeasureAndOtherWritesForbidden()
    {
        var id = await ImportGoodPlanAsync();
        var (own, schoolTask) = await TaskIdsAsync(id);
        var xueqian = await PreschoolDepartmentAsync();

        var report = await PostTaskAsync(xueqian, id, "Report", new() { ["taskId"] = own.ToString(), ["text"] = "城北幼儿园主体完工", ["date"] = "2025-10-09" });
        var status = await PostTaskAsync(xueqian, id, "Status", new() { ["taskId"] = own.ToString(), ["status"] = "Done", ["deadline"] = "2099-01-01" });
        var otherReport = await PostTaskAsync(xueqian, id, "Report", new() { ["taskId"] = schoolTask.ToString(), ["text"] = "越权", ["date"] = "2025-10-09" });
        var otherStatus = await PostTaskAsync(xueqian, id, "Status", new() { ["taskId"] = schoolTask.ToString(), ["status"] = "Done" });
        var editMeasure = await RosterFixture.PostFormAsync(xueqian, $"/Plans/Detail/{id}", $"/Plans/Edit/{id}?task={own}&handler=Save",
            new() { ["TaskForm.Text"] = "改写措施", ["TaskForm.Status"] = "进行中" });
        var createPupil = await RosterFixture.PostFormAsync(xueqian, "/Students", "/Students/Create", new() { ["Form.StudentNo"] = "X1", ["Form.Name"] = "不该建" });

        Assert.Equal(HttpStatusCode.Redirect, report.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, status.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherReport.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherStatus.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, editMeasure.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, createPupil.StatusCode);
        await using var ctx = Database.OpenSystem(app.Database, "test");
        var task = await ctx.Set<PlanTask>().Include(t => t.Reports).SingleAsync(t => t.Id == own);
        Assert.Equal(PlanTaskStatus.Done, task.Status);
        Assert.Equal(new DateOnly(2020, 1, 31), task.Deadline);     // the deadline is the plan editor's, not the owner's
        Assert.Equal(("城北幼儿园主体完工", "xueqian", new DateOnly(2025, 10, 9)), (task.Reports.Single().Text, task.Reports.Single().Author, task.Reports.Single().Date));
        var other = await ctx.Set<PlanTask>().Include(t => t.Reports).SingleAsync(t => t.Id == schoolTask);
        Assert.Equal((PlanTaskStatus.NotStarted, 0), (other.Status, other.Reports.Count));
        Assert.True(await ctx.AuditLog.AnyAsync(a => a.Entity == "ProgressReport" && a.UserName == "xueqian"), "the report is audited");
    }

    [Fact]
    public async Task Detail_OwnerSeesActionsOnOwnMeasureOnly_OthersSeeLatestReportWithoutForm()
    {
        var id = await ImportGoodPlanAsync();
        var (own, schoolTask) = await TaskIdsAsync(id);
        var xueqian = await PreschoolDepartmentAsync();
        var school = await app.LoginAsync("school");
        Assert.Equal(HttpStatusCode.Redirect, (await PostTaskAsync(school, id, "Report", new() { ["taskId"] = schoolTask.ToString(), ["text"] = "场地已选定", ["date"] = "2025-09-20" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostTaskAsync(school, id, "Report", new() { ["taskId"] = schoolTask.ToString(), ["text"] = "附设班已开班", ["date"] = "2025-10-20" })).StatusCode);
        var schoolOnDepartmentTask = await PostTaskAsync(school, id, "Status", new() { ["taskId"] = own.ToString(), ["status"] = "Done" });

        string Row(string html, int taskId) => Regex.Match(html, $"<tr id=\"task-{taskId}\".*?</tr>", RegexOptions.Singleline).Value;
        var department = await xueqian.GetStringAsync($"/Plans/Detail/{id}");
        var inspector = await (await app.LoginAsync("duxue")).GetStringAsync($"/Plans/Detail/{id}");
        var schoolView = await school.GetStringAsync($"/Plans/Detail/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, schoolOnDepartmentTask.StatusCode);
        Assert.Contains("data-form=\"report\"", Row(department, own));
        Assert.DoesNotContain("data-form=", Row(department, schoolTask));
        Assert.DoesNotContain("data-form=", inspector);
        Assert.Contains("data-form=\"status\"", Row(schoolView, schoolTask));
        Assert.DoesNotContain("data-form=", Row(schoolView, own));
        // One disclosure per measure instead of inline controls; the latest report in its own cell, the older one inside.
        var row = Row(inspector, schoolTask);
        Assert.Single(Regex.Matches(row, "<details"));
        Assert.Contains("status-badge", row);
        var latestCell = Regex.Match(row, "<div class=\"report\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("附设班已开班", latestCell);
        Assert.DoesNotContain("<select", Regex.Replace(row, "<details.*</details>", "", RegexOptions.Singleline));
    }

    [Fact]
    public async Task Detail_DeadlinePassedInBureauZoneOnly_Overdue()
    {
        var id = await ImportGoodPlanAsync();
        var (_, schoolTask) = await TaskIdsAsync(id);
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            var task = await ctx.Set<PlanTask>().SingleAsync(t => t.Id == schoolTask);
            (task.Deadline, task.Status) = (new DateOnly(2026, 12, 6), PlanTaskStatus.InProgress);
            await ctx.SaveChangesAsync();
        }
        // 2026-12-06 17:30 UTC is 12-07 01:30 in 北京: the deadline of 12-06 has passed for the bureau, not on a UTC server clock.
        var clock = new Core.Tests.Dropout.FixedClock(new DateTimeOffset(2026, 12, 6, 17, 30, 0, TimeSpan.Zero));
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var admin = await host.LoginAsync("admin", WebAppFactory.Password);

        var html = await admin.GetStringAsync($"/Plans/Detail/{id}");

        Assert.Matches($"<tr id=\"task-{schoolTask}\" class=\"overdue\"", html);
        Assert.Contains($"id=\"date-{schoolTask}\" name=\"date\" type=\"date\" value=\"2026-12-07\"", html); // the report form's date: the bureau's today
    }
}

