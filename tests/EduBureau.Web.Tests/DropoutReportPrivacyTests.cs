using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Tests.Dropout;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// Issue #15 item 6: the new 学校上报 text (search results, success message, the reported case) keeps the 身份证件号 — and the
/// 全国学籍号 that contains it — masked for 乡镇, 科室 and 督学; the bureau admin sees it.
/// </summary>
public class DropoutReportPrivacyTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly string Id = IdNumber.Create("450101", new DateOnly(2018, 4, 1), 31);

    [Fact]
    public async Task Report_ByTownship_IdNumberMaskedInSearchMessageAndCaseForTownshipDepartmentInspector()
    {
        long pupil;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            await DropoutHistory.SeedAsync(ctx, app.County);
            var s = await ctx.Students.SingleAsync(x => x.StudentNo == "G1");
            s.IdNumber = Id;
            s.StudentNo = "G" + Id;
            await ctx.SaveChangesAsync();
            pupil = s.Id;
        }
        var east = await app.LoginAsync("east");
        var keshi = await app.LoginAsync("keshi");
        var duxue = await app.LoginAsync("duxue");
        var admin = await app.LoginAsync("admin");

        var search = await east.GetStringAsync("/Dropout?Q=" + Uri.EscapeDataString("张一"));
        var token = await WebAppFactory.AntiforgeryTokenAsync(east, "/Dropout");
        var reported = await east.PostAsync("/Dropout?handler=Report", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["studentId"] = pupil.ToString(), ["reason"] = "1", ["lastAtSchool"] = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2).ToString("yyyy-MM-dd"),
            ["__RequestVerificationToken"] = token,
        }));
        var url = reported.Headers.Location!.OriginalString;
        var asEast = await east.GetStringAsync(url);
        var asKeshi = await keshi.GetStringAsync(url);
        var asDuxue = await duxue.GetStringAsync(url);
        var keshiList = await keshi.GetStringAsync("/Dropout");
        var asAdmin = await admin.GetStringAsync(url);

        Assert.Contains("张一", search);
        Assert.Contains(IdNumber.MaskStudentNo("G" + Id), search);
        Assert.Contains("已上报并立案", asEast);
        foreach (var page in new[] { search, asEast, asKeshi, asDuxue, keshiList })
        {
            Assert.DoesNotContain(Id, page);
            Assert.Contains("张一", page);
        }
        Assert.Contains(Id, asAdmin);
        await using var check = Database.OpenSystem(app.Database, "test");
        Assert.Equal(CaseSource.Reported, (await check.Set<DropoutCase>().SingleAsync()).Source);
    }
}
