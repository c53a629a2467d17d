using System.Net;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Tests.Dropout;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

public class DropoutPageTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task Dropout_SchoolUser_SeesOwnCasesOnlyAndEveryCaseViewIsAudited()
    {
        long eastCase, westCase;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            await DropoutHistory.SeedAsync(ctx, app.County);
            var ids = await ctx.Students.Where(s => s.StudentNo == "D1" || s.StudentNo == "W1").ToDictionaryAsync(s => s.StudentNo, s => s.Id);
            eastCase = (await DropoutLedger.ConfirmAsync(ctx, 2025, ids["D1"], TimeProvider.System)).Value;
            westCase = (await DropoutLedger.ConfirmAsync(ctx, 2025, ids["W1"], TimeProvider.System)).Value;
        }
        var school = await app.LoginAsync("school");
        var admin = await app.LoginAsync("admin");

        var list = await school.GetStringAsync("/Dropout");
        var own = await school.GetAsync($"/Dropout/Case/{eastCase}");
        var other = await school.GetAsync($"/Dropout/Case/{westCase}");
        var adminList = await admin.GetStringAsync("/Dropout");

        Assert.Contains("张辍", list);
        Assert.DoesNotContain("孙西", list);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("张辍", await own.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Contains("孙西", adminList);
        Assert.Contains("周失", adminList); // 失学 child from the register
        // An empty list says so instead of showing a bare header (#15).
        Assert.Contains("无失学适龄儿童", RosterFixture.Decode(list));
        Assert.DoesNotContain("无失学适龄儿童", RosterFixture.Decode(adminList));
        await using var check = Database.OpenSystem(app.Database, "test");
        var views = await check.AuditLog.Where(a => a.Action == "查看" && a.Entity == "DropoutCase").Select(a => new { a.UserName, a.EntityKey }).ToListAsync();
        Assert.Equal([("school", eastCase.ToString())], views.Select(v => (v.UserName, v.EntityKey)));
    }
}
