using System.Net;
using System.Text.RegularExpressions;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>The web's cached lists follow a committed write with no Signal() by hand: the request's context signals.</summary>
public class DataChangesWebTests(YearsAppFactory app) : IClassFixture<YearsAppFactory>
{
    [Fact]
    public async Task OrgAdd_NewTownship_InUnitSelectorOnNextPage()
    {
        int countyId;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
            countyId = await ctx.OrgUnits.Where(u => u.Kind == Core.Common.OrgUnitKind.County).Select(u => u.Id).SingleAsync();
        var client = await app.LoginAsync("admin", YearsAppFactory.Password);
        Assert.DoesNotContain("北乡", Units(await client.GetStringAsync("/"))); // the unit list is cached now

        var added = await RosterFixture.PostFormAsync(client, "/Schools", $"/Org/Add?parent={countyId}", new() { ["Name"] = "北乡" });

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("北乡", Units(await client.GetStringAsync("/")));
    }

    private static string Units(string html) =>
        Regex.Match(html, "<select id=\"unit\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;
}
