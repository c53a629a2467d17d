using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>
/// #17's acceptance in a headless Chromium: one 填报任务 end to end with three accounts at once — 东镇小学 submits with a
/// warning and its explanation, 东镇 returns it, the school submits again, 东镇 and the bureau approve, the bureau locks;
/// a later edit is refused with the reason; the bureau unlocks with a reason, which the audit log shows. Its own
/// fixture: the lock would disturb the other browser tests' edits.
/// </summary>
public class CollectionBrowserTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task Round_SubmitReturnResubmitApproveLock_EditRefused_UnlockAudited()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var admin = await SignedInAsync("admin");
        var school = await SignedInAsync("school");
        var east = await SignedInAsync("east");

        // The bureau opens the round for 学生名册 of the current year (the form's defaults).
        await admin.GotoAsync("/Collection");
        await admin.GetByLabel("任务名称").FillAsync("秋季学生名册");
        await admin.GetByRole(AriaRole.Button, new() { Name = "发布" }).ClickAsync();
        await Arrive(admin, new Regex(@"/Collection/Round/\d+$"));
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("已发布");
        await Assertions.Expect(admin.Locator("table.grid tbody tr")).ToHaveCountAsync(3);

        // The school finds it on its home page, sees only its own line, and submits: the class of one pupil is a warning.
        await school.GotoAsync("/");
        await school.GetByRole(AriaRole.Link, new() { Name = "秋季学生名册" }).ClickAsync();
        await Assertions.Expect(school.Locator("table.grid tbody tr")).ToHaveCountAsync(1);
        await school.GetByRole(AriaRole.Link, new() { Name = "东镇小学" }).ClickAsync();
        await Arrive(school, new Regex(@"/Collection/Submission/\d+$"));
        var submission = school.Url;
        await Act(school, "提交");
        await Assertions.Expect(school.GetByRole(AriaRole.Alert)).ToContainTextAsync("1 条预警未填写说明，不能提交");
        await Assertions.Expect(school.Locator("main")).ToContainTextAsync("班额异常");
        await school.Locator("form[data-action=Submit] textarea[name=explanation]").FillAsync("一年级新设班级，学生陆续转入");
        await Act(school, "提交");
        await Assertions.Expect(school.GetByRole(AriaRole.Status)).ToContainTextAsync("当前状态：已提交");

        // The township returns it with a comment; the school sees the comment and submits again.
        await east.GotoAsync(submission);
        await east.Locator("form[data-action=Return] textarea[name=comment]").FillAsync("请补充转入学生名单");
        await Act(east, "退回");
        await Assertions.Expect(east.GetByRole(AriaRole.Status)).ToContainTextAsync("当前状态：已退回");
        await school.GotoAsync(submission);
        await Assertions.Expect(school.Locator("main")).ToContainTextAsync("请补充转入学生名单");
        await Act(school, "提交");
        await Assertions.Expect(school.GetByRole(AriaRole.Status)).ToContainTextAsync("当前状态：已提交");

        // 逐级审核: the township, then the bureau; the bureau locks.
        await east.GotoAsync(submission);
        await Act(east, "乡镇审核通过");
        await Assertions.Expect(east.GetByRole(AriaRole.Status)).ToContainTextAsync("当前状态：乡镇已通过");
        await admin.GotoAsync(submission);
        await Act(admin, "审核通过");
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("当前状态：已通过");
        await Act(admin, "锁定");
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("当前状态：已锁定");

        // A later edit of a pupil of the locked roster is refused, with the reason.
        await school.GotoAsync($"/Students/Edit/{fx.Roster.ZhaoId}");
        await school.Locator("#Form_Name").FillAsync("赵六改");
        await school.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(school.Locator("main")).ToContainTextAsync("已在填报任务“秋季学生名册”中锁定");
        Assert.Equal("赵六", (await fx.Roster.FindAsync(fx.Roster.ZhaoId))!.Name);

        // The bureau unlocks with a reason; the audit log shows who, when and why.
        await admin.GotoAsync(submission);
        await admin.Locator("form[data-action=Unlock] textarea[name=comment]").FillAsync("更正学生姓名");
        await Act(admin, "解锁");
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("当前状态：已退回");
        await admin.GotoAsync("/Audit");
        await Assertions.Expect(admin.Locator("main")).ToContainTextAsync("更正学生姓名");
        await Assertions.Expect(admin.Locator("main")).ToContainTextAsync("已锁定 → 已退回");
    }

    /// <summary>A page of its own browser context (its own cookies), signed in as <paramref name="user"/>.</summary>
    private async Task<IPage> SignedInAsync(string user)
    {
        var page = await fx.Browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = fx.BaseUrl, Locale = "zh-CN" });
        page.SetDefaultTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(90_000);
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync(WebAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Arrive(page, new Regex(@"/$"));
        return page;
    }

    /// <summary>Presses the button of one of the submission page's step forms.</summary>
    private static Task Act(IPage page, string label) =>
        page.GetByRole(AriaRole.Button, new() { Name = label, Exact = true }).ClickAsync();

    private static Task Arrive(IPage page, Regex url) => Assertions.Expect(page).ToHaveURLAsync(url);
}
