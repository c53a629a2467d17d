using System.Text.Json;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EduBureau.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_ThenStats_StatsAgreeWithDirectSqlCounts()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var file = db.Options.SqliteFile!;

        var demo = await EduCli.RunAsync("demo", "--db", file, "--seed", "11", "--size", "0.05");
        var stats = await EduCli.RunAsync("stats", "--db", file, "--year", "2025", "--format", "json");

        Assert.True(demo.ExitCode == 0, demo.Err);
        Assert.Contains("演示数据已生成", demo.Out);
        Assert.Contains("演示县 2026–2027学年", demo.Out); // plain progress lines when redirected
        Assert.Equal(0, stats.ExitCode);
        using var json = JsonDocument.Parse(stats.Out);
        var root = json.RootElement;
        Assert.Equal(await ScalarAsync(file, "SELECT count(*) FROM Schools"), root.GetProperty("schools").GetInt64());
        Assert.Equal(await ScalarAsync(file, "SELECT count(*) FROM Classes WHERE Year = 2025"), root.GetProperty("classes").GetInt64());
        Assert.Equal(await ScalarAsync(file, "SELECT count(*) FROM Enrollments WHERE Year = 2025 AND Status IN (1, 2)"), root.GetProperty("students").GetInt64());
        Assert.Equal(await ScalarAsync(file, "SELECT count(*) FROM StaffAssignments WHERE Year = 2025"), root.GetProperty("staff").GetInt64());
        var primary = root.GetProperty("byLevel").GetProperty("小学");
        Assert.Equal(await ScalarAsync(file, "SELECT count(*) FROM Schools WHERE Level = 2"), primary.GetProperty("schools").GetInt64());
        Assert.Equal(await ScalarAsync(file,
                "SELECT count(*) FROM Enrollments e JOIN Schools s ON s.Id = e.SchoolId WHERE e.Year = 2025 AND e.Status IN (1, 2) AND s.Level = 2"),
            primary.GetProperty("students").GetInt64());
        Assert.True(root.GetProperty("students").GetInt64() > 2000);
        // The last line gives the current year's 在校生 after the 控辍保学 step: what `edu stats` (and the home page) say.
        var current = await EduCli.RunAsync("stats", "--db", file, "--year", "2026", "--format", "json");
        using var currentJson = JsonDocument.Parse(current.Out);
        var students = currentJson.RootElement.GetProperty("students").GetInt64();
        Assert.Contains($"2026–2027学年在校生（在读、休学）{students:N0} 人", demo.Out);
    }

    [Fact]
    public async Task Demo_OnDatabaseWithData_RefusesInChineseUnlessForce()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await TinyCounty.SeedAsync(ctx);
        var file = db.Options.SqliteFile!;

        var refused = await EduCli.RunAsync("demo", "--db", file, "--size", "0.02");
        var schoolsAfterRefusal = await ScalarAsync(file, "SELECT count(*) FROM Schools");
        var forced = await EduCli.RunAsync("demo", "--db", file, "--size", "0.02", "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("已有数据，未做任何更改", refused.Err);
        Assert.Contains("--force", refused.Err);
        Assert.DoesNotContain("   at ", refused.Err);
        Assert.Equal(3, schoolsAfterRefusal);
        Assert.True(forced.ExitCode == 0, forced.Err);
        Assert.Equal(0, await ScalarAsync(file, "SELECT count(*) FROM Schools WHERE Name = '东镇小学'"));
        Assert.True(await ScalarAsync(file, "SELECT count(*) FROM Schools") > 60);
    }

    [Fact]
    public async Task Demo_BadScale_IsRefusedInChinese()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);

        var r = await EduCli.RunAsync("demo", "--db", db.Options.SqliteFile!, "--scale", "0");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--scale 应在 1 到", r.Err);
    }

    private static async Task<long> ScalarAsync(string file, string sql)
    {
        await using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
