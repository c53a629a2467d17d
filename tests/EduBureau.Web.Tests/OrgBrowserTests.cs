using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace EduBureau.Web.Tests;

/// <summary>/Org editing in a real browser on a 390 px wide phone screen: the form stacks and its error shows next to the field.</summary>
public class OrgBrowserTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task OrgAdd_PhoneWidth_FormStacksErrorNextToFieldThenSaves()
    {
        Skip.If(BrowserFixture.Unavailable is not null, BrowserFixture.Unavailable);
        var page = await fx.Browser!.NewPageAsync(new BrowserNewPageOptions
        {
            BaseURL = fx.BaseUrl, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        page.SetDefaultTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(90_000);
        var county = fx.Roster.App.County.County;

        await page.GotoAsync("/Account/Login?ReturnUrl=%2FOrg", new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByLabel("用户名").FillAsync("admin");
        await page.GetByLabel("密码").FillAsync(WebAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Org$"));
        await page.Locator($"a[href='/Org/Add?parent={county.Id}']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/Org/Add\\?parent={county.Id}$"));
        await page.GetByLabel("名称").FillAsync("东镇");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        var error = page.Locator("span.field-error[data-valmsg-for='Name']");
        await Assertions.Expect(error).ToHaveTextAsync("同一上级单位下已有名为“东镇”的单位");
        var label = (await page.Locator("label[for='Name']").BoundingBoxAsync())!;
        var input = (await page.Locator("input#Name").BoundingBoxAsync())!;
        var message = (await error.BoundingBoxAsync())!;
        Assert.True(label.Y + label.Height <= input.Y, $"标签应在输入框上方：{label.Y}+{label.Height} > {input.Y}");
        Assert.True(input.X + input.Width <= 390, $"输入框超出屏幕：{input.X}+{input.Width}");
        Assert.True(message.X + message.Width <= 390 && message.Y >= input.Y, "错误提示应在输入框旁（下方）且不超出屏幕");

        await page.GetByLabel("名称").FillAsync("北街道");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Org$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已在测试县下新增“北街道”");
    }
}
