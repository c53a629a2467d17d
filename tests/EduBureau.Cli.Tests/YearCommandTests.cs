using System.Text.Json;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Core.Tests.Years;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli.Tests;

/// <summary><c>edu year list|open</c> on a temp SQLite file seeded with <see cref="YearCounty"/> (2024 rosters).</summary>
public class YearCommandTests
{
    [Fact]
    public async Task YearOpen_DryRunJson_PreviewCountsAndNothingWritten()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await YearCounty.SeedAsync(ctx);

        var r = await EduCli.RunAsync("year", "open", "--db", db.Options.SqliteFile!, "--year", "2025", "--dry-run", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var root = json.RootElement;
        Assert.Equal(("Ready", false, "2025-06-30"), (root.GetProperty("state").GetString(), root.GetProperty("written").GetBoolean(), root.GetProperty("graduationDate").GetString()));
        var total = root.GetProperty("total");
        Assert.Equal((6, 5, 5, 5), (total.GetProperty("promoted").GetInt32(), total.GetProperty("graduating").GetInt32(), total.GetProperty("classes").GetInt32(), total.GetProperty("staff").GetInt32()));
        Assert.Equal(1, root.GetProperty("skippedClosedPupils").GetInt32());
        var primary = root.GetProperty("schools").EnumerateArray().Single(s => s.GetProperty("school").GetString() == "东镇小学");
        Assert.Equal(("东镇", "小学", 2, 1), (primary.GetProperty("township").GetString(), primary.GetProperty("level").GetString(), primary.GetProperty("promoted").GetInt32(), primary.GetProperty("graduating").GetInt32()));
        await using var check = db.Open();
        Assert.Equal(0, await check.Enrollments.CountAsync(e => e.Year == 2025));
    }

    [Fact]
    public async Task YearOpen_ThenAgainThenList_OpensOnceAndListsNewestFirst()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await YearCounty.SeedAsync(ctx);
        var file = db.Options.SqliteFile!;

        var first = await EduCli.RunAsync("year", "open", "--db", file, "--year", "2025", "--graduation-date", "2025-07-10");
        var second = await EduCli.RunAsync("year", "open", "--db", file, "--year", "2025");
        var list = await EduCli.RunAsync("year", "list", "--db", file);

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("开启2025学年：升级 6 人，毕业 5 人，新建班级 5 个，教职工 5 人；用时 ", first.Out);
        Assert.Contains("东镇\t东镇小学\t2\t1\t1\t1", first.Out);
        Assert.Equal((0, "2025学年已开启，无需变更"), (second.ExitCode, second.Out.Trim()));
        Assert.Equal(
            ["2025–2026学年：在校生 6 人，班级 5 个，教职工 5 人", "2024–2025学年：在校生 7 人，班级 10 个，教职工 6 人"],
            list.Out.Trim().Split('\n').Select(l => l.TrimEnd('\r')));
        await using var check = db.Open();
        Assert.Equal(5, await check.StatusEvents.CountAsync(e => e.Date == new DateOnly(2025, 7, 10)));
    }

    [Fact]
    public async Task YearOpen_NoRosters_ChineseErrorExitOne()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.Open()) await YearCounty.SeedAsync(ctx);

        var r = await EduCli.RunAsync("year", "open", "--db", db.Options.SqliteFile!, "--year", "2026");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("错误：2025学年没有学生名册，不能开启2026学年", r.Err.Trim());
        Assert.DoesNotContain("   at ", r.Err);
    }
}
