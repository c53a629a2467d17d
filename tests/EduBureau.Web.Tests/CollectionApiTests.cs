using System.Text.Json;
using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using EduBureau.Core.Security;

namespace EduBureau.Web.Tests;

/// <summary>
/// #17 over real HTTP: the read-only API of rounds narrows to the caller's scope, and an indicator whose data is in a
/// round not yet approved carries the 待审核 mark on /Indicators.
/// </summary>
public class CollectionApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private async Task<int> OpenRoundAsync()
    {
        var c = app.County;
        await using var db = Database.Open(app.Database, UserScope.ForUser("admin", Roles.BureauAdmin, c.County.Id, c.County.Path));
        var r = await CollectionRounds.OpenAsync(db, new OpenRoundInput("API名册", CollectionDataset.Students, 2025, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20)), TimeProvider.System);
        return r.ValueOrThrow();
    }

    [Fact]
    public async Task Api_RoundsAndSubmissions_NarrowedToTheCallersScope_IndicatorsMarkedPending()
    {
        var round = await OpenRoundAsync();

        var admin = await app.LoginAsync("admin");
        using (var rounds = JsonDocument.Parse(await admin.GetStringAsync("/api/collection/rounds")))
        {
            var mine = rounds.RootElement.EnumerateArray().Single(r => r.GetProperty("id").GetInt32() == round);
            Assert.Equal(("API名册", "学生名册", 3), (mine.GetProperty("title").GetString(), mine.GetProperty("dataset").GetString(), mine.GetProperty("units").GetInt32()));
            Assert.Equal(3, mine.GetProperty("byState").GetProperty("未提交").GetInt32());
        }

        var school = await app.LoginAsync("school");
        using (var subs = JsonDocument.Parse(await school.GetStringAsync($"/api/collection/rounds/{round}/submissions")))
        {
            var only = Assert.Single(subs.RootElement.EnumerateArray());
            Assert.Equal(("东镇小学", "未提交"), (only.GetProperty("unit").GetString(), only.GetProperty("state").GetString()));
        }
        var east = await app.LoginAsync("east");
        using (var subs = JsonDocument.Parse(await east.GetStringAsync($"/api/collection/rounds/{round}/submissions")))
            Assert.Equal(["东镇小学", "东镇中学"], subs.RootElement.EnumerateArray().Select(s => s.GetProperty("unit").GetString()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await school.GetAsync("/api/collection/rounds/99999/submissions")).StatusCode);

        var html = await admin.GetStringAsync("/Indicators");
        Assert.Contains("待审核：学生名册尚有3个单位未审核通过", html);
    }
}
