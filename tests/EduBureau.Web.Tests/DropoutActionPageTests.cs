using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Core.Data;
using EduBureau.Core.Tests.Dropout;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// The /Dropout actions over real HTTP (issue #15 items 1 and 4): 确认立案 (red, primary) and 排除 (grey, reason required)
/// look different and are explained; each action redirects with a role=status message; after a 劝返 step the case page says
/// 第N步已保存 and proposes the next step; the 8-year-old 失学 child 周失 gets 东镇小学 preselected, never 东镇中学; no "UTC".
/// </summary>
public class DropoutActionPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));

    [Fact]
    public async Task Actions_DistinctButtonsPrgMessagesNextStepAndAgeFittingSchool()
    {
        Dictionary<string, long> ids;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            await DropoutHistory.SeedAsync(ctx, app.County);
            ids = await ctx.Students.ToDictionaryAsync(s => s.StudentNo, s => s.Id);
        }
        var east = await app.LoginAsync("east");

        var list = await east.GetStringAsync("/Dropout");
        var token = await WebAppFactory.AntiforgeryTokenAsync(east, "/Dropout");
        var noReason = await east.PostAsync("/Dropout?handler=Dismiss", Form(token, ("studentId", ids["D1"].ToString()), ("reason", "")));
        var dismissed = await east.PostAsync("/Dropout?handler=Dismiss", Form(token, ("studentId", ids["D1"].ToString()), ("reason", "已在县外就读，接收证明已核实")));
        var afterDismiss = await east.GetStringAsync(dismissed.Headers.Location!.OriginalString);
        var confirmed = await east.PostAsync("/Dropout?handler=Confirm", Form(token, ("studentId", ids["T1"].ToString())));
        var caseUrl = confirmed.Headers.Location!.OriginalString;
        var casePage = await east.GetStringAsync(caseUrl);
        var today = Regex.Match(casePage, "name=\"date\" value=\"([0-9-]+)\"").Groups[1].Value;
        var caseToken = await WebAppFactory.AntiforgeryTokenAsync(east, caseUrl);
        var step = await east.PostAsync(caseUrl + "?handler=Step",
            Form(caseToken, ("step", "1"), ("date", today), ("people", "班主任、村干部"), ("action", "上门家访"), ("result", "家长同意送学")));
        var afterStep = await east.GetStringAsync(step.Headers.Location!.OriginalString);

        Assert.Matches("<button class=\"btn confirm\" style=\"[^\"]*var\\(--red\\)", list);
        Assert.Contains("<button class=\"btn secondary dismiss\"", list);
        Assert.Matches("<input name=\"reason\" placeholder=\"排除原因（必填）\"[^>]*required", list);
        Assert.Contains("确认立案：核实确已辍学", list);
        var select = Regex.Match(list, "<select name=\"schoolId\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Matches($"^\\s*<option value=\"{app.County.EastPrimary.Id}\" selected=\"selected\">东镇小学</option>", select);
        Assert.DoesNotContain("东镇中学", select);
        Assert.Equal(HttpStatusCode.OK, noReason.StatusCode);
        Assert.Contains("请填写排除原因", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, dismissed.StatusCode);
        Assert.Matches("<p class=\"notice\" role=\"status\">已排除：张辍", afterDismiss);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.StartsWith("/Dropout/Case/", caseUrl);
        Assert.Matches("role=\"status\">已确认立案", casePage);
        Assert.Contains("<option value=\"1\" selected=\"selected\">", casePage);
        Assert.Equal(HttpStatusCode.Redirect, step.StatusCode);
        Assert.Matches("role=\"status\">第1步已保存", afterStep);
        Assert.Contains("<option value=\"2\" selected=\"selected\">", afterStep);
        foreach (var page in new[] { list, afterDismiss, casePage, afterStep }) Assert.DoesNotContain("UTC", page);
    }
}
