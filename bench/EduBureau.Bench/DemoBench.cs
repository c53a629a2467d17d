using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EduBureau.Cli;
using EduBureau.Core.Data;
using EduBureau.Demo;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EduBureau.Bench;

/// <summary>
/// <c>demo</c>: demo generation time, peak memory and rows/s at the given scales, on SQLite and (with
/// --postgres) PostgreSQL. Each case runs in its own child process (the hidden <c>demo case</c>), so the
/// peak memory reported is that case's alone: the child's peak working set (VmHWM) read at its end, plus the
/// largest managed heap sampled after every progress step. Registered in Program.cs.
/// </summary>
internal static class DemoBench
{
    /// <summary>The <c>demo</c> benchmark, with its hidden child-process case <c>demo case</c>.</summary>
    public static Command Create()
    {
        var demo = Demo();
        demo.Subcommands.Add(DemoCase());
        return demo;
    }

    private sealed record CaseResult(string Provider, int Scale, double Seconds, long Rows, double RowsPerSecond, long Students, long Enrollments,
        int Schools, double PeakWorkingSetMb, double PeakManagedHeapMb, double AllocatedGb, int Gen2Collections, double? DatabaseMb);

    private static Command Demo()
    {
        var scales = new Option<string>("--scale") { Description = "逗号分隔的规模（县的个数），如 1,20", DefaultValueFactory = _ => "1" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL 管理连接串：每个用例新建一个临时数据库，结束后删除" };
        var noSqlite = new Option<bool>("--no-sqlite") { Description = "只测 PostgreSQL" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 2026, Description = "随机种子" };
        var dir = new Option<string?>("--dir") { Description = "SQLite 临时文件目录（默认系统临时目录）" };
        var json = new Option<bool>("--json") { Description = "以 JSON 输出结果" };
        var size = new Option<double>("--size") { Description = "每个县的人数比例（默认 1；仅用于快速自检）", DefaultValueFactory = _ => 1.0 };
        var cmd = new Command("demo", "演示数据生成基准：用时、峰值内存、每秒写入行数（SQLite 与 PostgreSQL）");
        foreach (var o in new Option[] { scales, postgres, noSqlite, seed, dir, json, size }) cmd.Options.Add(o);
        cmd.SetAction(async (r, ct) =>
        {
            var list = new List<int>();
            foreach (var part in r.GetValue(scales)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, CultureInfo.InvariantCulture, out var n) || n < 1 || n > DemoSettings.MaxScale)
                    throw new CliException($"--scale 中的“{part}”不是 1 到 {DemoSettings.MaxScale} 之间的整数");
                list.Add(n);
            }
            var pg = r.GetValue(postgres);
            if (r.GetValue(noSqlite) && pg is null) throw new CliException("--no-sqlite 需要同时给出 --postgres");
            var results = new List<CaseResult>();
            foreach (var scale in list)
            {
                if (!r.GetValue(noSqlite))
                {
                    var folder = Path.Combine(r.GetValue(dir) ?? Path.GetTempPath(), "edu-bench-" + Guid.NewGuid().ToString("N")[..8]);
                    Directory.CreateDirectory(folder);
                    try { results.Add(await RunCaseAsync("Sqlite", Path.Combine(folder, "bench.db"), scale, r.GetValue(seed), r.GetValue(size), ct)); }
                    finally { Directory.Delete(folder, recursive: true); }
                }
                if (pg is not null)
                {
                    var name = "edu_bench_" + Guid.NewGuid().ToString("N")[..12];
                    await AdminAsync(pg, $"CREATE DATABASE {name}", ct);
                    try
                    {
                        var cs = new NpgsqlConnectionStringBuilder(pg) { Database = name }.ToString();
                        results.Add(await RunCaseAsync("Postgres", cs, scale, r.GetValue(seed), r.GetValue(size), ct));
                    }
                    finally { await AdminAsync(pg, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", ct); }
                }
            }
            if (r.GetValue(json)) Output.WriteJson(results);
            else PrintTable(results);
            return 0;
        });
        return cmd;
    }

    private static void PrintTable(List<CaseResult> results)
    {
        Console.WriteLine($"{Environment.ProcessorCount} 核，.NET {Environment.Version}，{RuntimeInfo()}");
        Console.WriteLine("数据库     规模  学校   学生(人)    学籍记录     写入行数     用时(秒)  行/秒      峰值工作集(MB)  峰值托管堆(MB)  分配(GB)  Gen2  库大小(MB)");
        foreach (var c in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Provider,-10} {c.Scale,4} {c.Schools,5} {c.Students,11:N0} {c.Enrollments,12:N0} {c.Rows,12:N0} {c.Seconds,10:F1} {c.RowsPerSecond,10:N0} {c.PeakWorkingSetMb,14:F0} {c.PeakManagedHeapMb,14:F0} {c.AllocatedGb,9:F1} {c.Gen2Collections,5} {(c.DatabaseMb is { } mb ? mb.ToString("F0", CultureInfo.InvariantCulture) : "-"),10}"));
    }

    private static string RuntimeInfo() => $"GC {(System.Runtime.GCSettings.IsServerGC ? "Server" : "Workstation")}";

    private static async Task AdminAsync(string admin, string sql, CancellationToken ct)
    {
        try
        {
            await using var c = new NpgsqlConnection(admin);
            await c.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException e)
        {
            throw new CliException($"无法在 PostgreSQL 上执行“{sql}”：{e.Message}");
        }
    }

    /// <summary>Runs one case in a child `EduBureau.Bench demo case` and reads its JSON result line.</summary>
    private static async Task<CaseResult> RunCaseAsync(string provider, string target, int scale, int seed, double size, CancellationToken ct)
    {
        var exe = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") psi.ArgumentList.Add(typeof(DemoBench).Assembly.Location);
        foreach (var a in new[] { "demo", "case", "--provider", provider, "--target", target, "--scale", scale.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--size", size.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        Console.Error.WriteLine($"开始：{provider} 规模 {scale} …");
        using var p = Process.Start(psi) ?? throw new CliException("无法启动子进程");
        var stderr = p.StandardError.ReadToEndAsync(ct);
        string? last = null;
        while (await p.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith('{')) last = line;
            else Console.Error.WriteLine("  " + line);
        }
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0 || last is null)
            throw new CliException($"{provider} 规模 {scale} 的基准失败（退出码 {p.ExitCode}）：{(await stderr).Trim()}");
        return JsonSerializer.Deserialize<CaseResult>(last, Output.Json)!;
    }

    /// <summary>Hidden: one measured generation into an empty database, result as one JSON line.</summary>
    private static Command DemoCase()
    {
        var provider = new Option<string>("--provider") { Required = true };
        var target = new Option<string>("--target") { Required = true, Description = "SQLite 文件或 PostgreSQL 连接串" };
        var scale = new Option<int>("--scale") { DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 2026 };
        var size = new Option<double>("--size") { DefaultValueFactory = _ => 1.0 };
        var cmd = new Command("case", "（内部）在子进程中测一个用例") { Hidden = true };
        foreach (var o in new Option[] { provider, target, scale, seed, size }) cmd.Options.Add(o);
        cmd.SetAction(async (r, ct) =>
        {
            var kind = DatabaseOptions.ParseProvider(r.GetValue(provider));
            var options = kind == DatabaseProvider.Sqlite ? DatabaseOptions.ForSqliteFile(r.GetValue(target)!) : new DatabaseOptions(kind, r.GetValue(target)!);
            await Database.MigrateAsync(options, ct); // not timed: the schema is not the demo
            long peakHeap = 0;
            var progress = new SampleProgress(line =>
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                Console.WriteLine(line);
            });
            var gen2 = GC.CollectionCount(2);
            var allocated = GC.GetTotalAllocatedBytes();
            var result = await DemoGenerator.GenerateAsync(options, new DemoSettings(r.GetValue(seed), r.GetValue(scale), Size: r.GetValue(size)), progress, ct);
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            double? dbMb = null;
            if (options.SqliteFile is { } file)
            {
                SqliteConnection.ClearAllPools();
                dbMb = new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1048576.0;
            }
            var seconds = result.Elapsed.TotalSeconds;
            var c = new CaseResult(kind.ToString(), result.Counties, Math.Round(seconds, 2), result.RowsWritten, Math.Round(result.RowsWritten / seconds),
                result.Students, result.Enrollments, result.Schools, Math.Round(self.PeakWorkingSet64 / 1048576.0, 1), Math.Round(peakHeap / 1048576.0, 1),
                Math.Round((GC.GetTotalAllocatedBytes() - allocated) / 1073741824.0, 2), GC.CollectionCount(2) - gen2, dbMb is null ? null : Math.Round(dbMb.Value, 1));
            Console.WriteLine(JsonSerializer.Serialize(c, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            return 0;
        });
        return cmd;
    }

    private sealed class SampleProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
