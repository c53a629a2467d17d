using System.Text.Json;
using EduBureau.Core.Tests.Infrastructure;

namespace EduBureau.Cli.Tests;

/// <summary>The benchmark program (bench/EduBureau.Bench) still runs; edu itself only points to it.</summary>
public class BenchCommandTests
{
    [SkippableFact]
    public async Task BenchDemo_SmallCaseOnBothProviders_ReportsRowsAndMemoryFromChildProcesses()
    {
        var pg = Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable);
        Skip.If(string.IsNullOrEmpty(pg) && Environment.GetEnvironmentVariable("CI") is null, "未设置 EDU_TEST_POSTGRES");

        var r = await EduCli.RunBenchAsync("demo", "--scale", "1", "--size", "0.02", "--postgres", pg!, "--json");

        Assert.True(r.ExitCode == 0, r.Err);
        using var json = JsonDocument.Parse(r.Out);
        var cases = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["Sqlite", "Postgres"], cases.Select(c => c.GetProperty("provider").GetString()));
        // Same seed and size: both providers receive exactly the same rows.
        Assert.Equal(cases[0].GetProperty("rows").GetInt64(), cases[1].GetProperty("rows").GetInt64());
        Assert.All(cases, c =>
        {
            Assert.True(c.GetProperty("rows").GetInt64() > 10_000);
            Assert.True(c.GetProperty("peakWorkingSetMb").GetDouble() > 10);
            Assert.True(c.GetProperty("rowsPerSecond").GetDouble() > 0);
        });
    }

    [Fact]
    public async Task BenchDemo_BadScaleList_IsRefusedInChinese()
    {
        var r = await EduCli.RunBenchAsync("demo", "--scale", "1,x");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--scale 中的“x”不是", r.Err);
    }

    [Fact]
    public async Task BenchExam_Tiny_RunsAndAgreesWithSql()
    {
        var r = await EduCli.RunBenchAsync("exam", "--pupils", "60", "--subjects", "2");

        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("60 名学生 × 2 科", r.Out);
        Assert.Contains("全部一致", r.Out);
    }

    [Fact]
    public async Task BenchAdmission_SmallSize_EngineAgreesWithReference()
    {
        var r = await EduCli.RunBenchAsync("admission", "--sizes", "2000", "--schools", "10", "--preferences", "4", "--repeat", "1");

        Assert.True(r.ExitCode == 0, r.Err);
        // Header line plus one row for 2000 applicants whose last column says the two implementations agree.
        var row = r.Out.Split('\n').Single(l => l.TrimStart().StartsWith("2000 ", StringComparison.Ordinal));
        Assert.EndsWith("是", row.TrimEnd());
    }

    [Fact]
    public async Task BenchWeb_SmallDemo_EveryPageAnswersForTheUserWithItsFloor()
    {
        var dir = Directory.CreateTempSubdirectory("edu-bench-web-test-");
        try
        {
            var db = Path.Combine(dir.FullName, "demo.db");
            var demo = await EduCli.RunAsync("demo", "--db", db, "--seed", "5", "--size", "0.02");
            Assert.True(demo.ExitCode == 0, demo.Err);

            var r = await EduCli.RunBenchAsync("web", "--db", db, "--concurrency", "2", "--requests", "4", "--users", "xuexiao");

            Assert.True(r.ExitCode == 0, r.Err);
            // One row per page: user, page, size, req/s, p50, p95, p99, errors (0) | floor req/s, p95 | share, goal met.
            var rows = r.Out.Split('\n').Where(l => l.StartsWith("xuexiao ", StringComparison.Ordinal)).ToList();
            Assert.Equal(["/", "/Indicators", "/Students?q=张", "/Dropout", "/Aid", "/Exams/Overview"],
                rows.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Split("?id=")[0]));
            Assert.All(rows, l => Assert.Equal("0", l.Split('|')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]));
            Assert.Contains("目标（#16）", r.Out);
            Assert.Matches(@"达标 \d+ / 6 页", r.Out);

            var empty = await EduCli.RunBenchAsync("web", "--db", Path.Combine(dir.FullName, "empty.db"));
            Assert.Equal(1, empty.ExitCode);
            Assert.Contains("empty.db”不存在：先用 edu demo", empty.Err);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public async Task EduBench_OldCommand_PointsToBenchProjectWithSameArguments()
    {
        var r = await EduCli.RunAsync("bench", "admission", "--sizes", "2000");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("基准测试已移至 bench/EduBureau.Bench：dotnet run -c Release --project bench/EduBureau.Bench -- admission --sizes 2000", r.Err);
    }

    [Fact]
    public async Task EduHelp_DoesNotListBench()
    {
        var r = await EduCli.RunAsync("--help");

        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("bench", r.Out);
    }
}
