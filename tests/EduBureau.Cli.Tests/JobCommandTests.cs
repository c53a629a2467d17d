using System.Text.Json;
using EduBureau.Core.Jobs;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Cli.Tests;

/// <summary><c>edu jobs list</c> on a temp SQLite file with two jobs written as the web app leaves them.</summary>
public class JobCommandTests
{
    [Fact]
    public async Task JobsList_TwoJobs_NewestFirstWithKindOwnerStateAndTimes()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open())
        {
            var t = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);
            ctx.Jobs.Add(new Job
            {
                Kind = JobKinds.Import, Owner = "school", OrgUnitId = 1, UnitPath = "/1/", Parameters = "{}", State = JobState.Done,
                CreatedUtc = t, StartedUtc = t.AddSeconds(1), FinishedUtc = t.AddSeconds(5),
            });
            ctx.Jobs.Add(new Job
            {
                Kind = "open-year", Owner = "admin", OrgUnitId = 1, UnitPath = "/1/", Parameters = "{}", State = JobState.Interrupted,
                Error = JobStore.RestartMessage, CreatedUtc = t.AddHours(1), StartedUtc = t.AddHours(1),
            });
            await ctx.SaveChangesAsync();
        }

        var text = await EduCli.RunAsync("jobs", "list", "--db", db.Options.SqliteFile!);
        var json = await EduCli.RunAsync("jobs", "list", "--db", db.Options.SqliteFile!, "--format", "json", "--take", "1");

        Assert.Equal(0, text.ExitCode);
        Assert.Equal(
        [
            $"2\topen-year\tadmin\t已中断\t提交 2026-12-01 09:00:00Z\t开始 2026-12-01 09:00:00Z\t结束 —\t{JobStore.RestartMessage}",
            "1\timport\tschool\t完成\t提交 2026-12-01 08:00:00Z\t开始 2026-12-01 08:00:01Z\t结束 2026-12-01 08:00:05Z",
        ], text.Out.Trim().Split('\n').Select(l => l.TrimEnd('\r')));
        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        var only = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal((2, "open-year", "admin", "已中断"), (only.GetProperty("id").GetInt32(), only.GetProperty("kind").GetString(),
            only.GetProperty("owner").GetString(), only.GetProperty("state").GetString()));
    }
}
