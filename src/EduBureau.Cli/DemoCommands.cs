using System.CommandLine;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Demo;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Spectre.Console;

namespace EduBureau.Cli;

/// <summary><c>edu demo</c>: creates a database holding the synthetic demo county (or city of N counties).</summary>
internal static class DemoCommands
{
    public static Command Create()
    {
        var db = new DbArgs();
        var seed = new Option<int>("--seed") { Description = "随机种子：同一种子生成完全相同的数据", DefaultValueFactory = _ => 2026 };
        var scale = new Option<int>("--scale") { Description = "县的个数：1 = 演示县，N > 1 = 含 N 个县的演示市", DefaultValueFactory = _ => 1 };
        var size = new Option<double>("--size") { Description = "每个县的人数比例（1 = 约 6 万在校生；测试可用 0.05 等小值）", DefaultValueFactory = _ => 1.0 };
        var year = new Option<int>("--current-year") { Description = "最后一个学年（默认 2026，即 2026–2027 学年）", DefaultValueFactory = _ => 2026 };
        var force = new Option<bool>("--force") { Description = "数据库已有数据时清空后重建" };
        var cmd = new Command("demo", "生成演示县（或演示市）数据：学校、班级、学生、教职工、办学条件、适龄人口");
        db.AddTo(cmd);
        cmd.Options.Add(seed);
        cmd.Options.Add(scale);
        cmd.Options.Add(size);
        cmd.Options.Add(year);
        cmd.Options.Add(force);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            var settings = new DemoSettings(r.GetValue(seed), r.GetValue(scale), r.GetValue(year), r.GetValue(size));
            if (settings.Scale < 1 || settings.Scale > DemoSettings.MaxScale)
                throw new CliException($"--scale 应在 1 到 {DemoSettings.MaxScale} 之间，实际为 {settings.Scale}");
            if (settings.Size is <= 0 or > 10)
                throw new CliException($"--size 应大于 0 且不超过 10，实际为 {settings.Size}");
            if (settings.CurrentYear is < 2000 or > 2100)
                throw new CliException($"--current-year 不是有效的学年：{settings.CurrentYear}");
            await PrepareEmptyDatabaseAsync(options, r.GetValue(force), ct);

            var result = Output.Interactive
                ? await WithProgressBarAsync(options, settings, ct)
                : await DemoGenerator.GenerateAsync(options, settings, new LineProgress(), ct);
            Console.WriteLine($"演示数据已生成：{result.Counties} 个县，{result.Schools:N0} 所学校，学生 {result.Students:N0} 人（学籍记录 {result.Enrollments:N0} 条），" +
                              $"教职工 {result.Staff:N0} 人；共写入 {result.RowsWritten:N0} 行，用时 {result.Elapsed.TotalSeconds:F1} 秒");
            // The per-year progress lines count each roster as generated; the 控辍保学 step then marks a few pupils 辍学 or
            // 转出 (#15: 59,239 there, 59,230 on the home page). Say the final figure, as edu stats and the web count it.
            await using (var ctx = Database.OpenSystem(options, "edu demo"))
            {
                var final = await EduBureau.Core.Stats.CountStats.ForYearAsync(ctx, settings.CurrentYear, ct);
                Console.WriteLine($"{settings.CurrentYear}–{settings.CurrentYear + 1}学年在校生（在读、休学）{final.Students:N0} 人：" +
                                  "已扣除控辍保学演示记为辍学、转出的学生，与 edu stats 和网页首页一致");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Migrates the target; refuses one that already holds data unless <paramref name="force"/>, then recreates it.</summary>
    internal static async Task PrepareEmptyDatabaseAsync(DatabaseOptions options, bool force, CancellationToken ct)
    {
        var where = options.SqliteFile ?? "指定的 PostgreSQL 数据库";
        bool hasData;
        try
        {
            await Database.MigrateAsync(options, ct);
            await using var ctx = Database.OpenSystem(options, "demo");
            hasData = await ctx.OrgUnits.AnyAsync(ct) || await ctx.Users.AnyAsync(ct);
        }
        catch (Exception e) when (e is SqliteException or NpgsqlException or InvalidOperationException)
        {
            if (!force) throw new CliException($"{where} 不是可用的 EduBureau 数据库（{e.Message}）。如确定要覆盖，请加 --force");
            hasData = true;
        }
        if (!hasData) return;
        if (!force)
            throw new CliException($"{where} 中已有数据，未做任何更改。如确定要清空并重新生成演示数据，请加 --force");
        await using (var ctx = Database.OpenSystem(options, "demo")) await ctx.Database.EnsureDeletedAsync(ct);
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (options.SqliteFile is { } file)
            foreach (var f in new[] { file, file + "-wal", file + "-shm" })
                if (File.Exists(f)) File.Delete(f);
        await Database.MigrateAsync(options, ct);
    }

    private static async Task<DemoResult> WithProgressBarAsync(DatabaseOptions options, DemoSettings settings, CancellationToken ct)
    {
        DemoResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("生成演示数据", maxValue: settings.Scale * DemoGenerator.ReportsPerCounty);
                var progress = new SyncProgress(message =>
                {
                    if (!message.StartsWith("已完成", StringComparison.Ordinal)) task.Increment(1);
                    task.Description = Markup.Escape(message.Length > 60 ? message[..60] + "…" : message);
                });
                result = await DemoGenerator.GenerateAsync(options, settings, progress, ct);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Plain lines for redirected output (logs, CI): one per step, with the time.</summary>
    private sealed class LineProgress : IProgress<string>
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        public void Report(string value) => Console.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {value}");
    }

    /// <summary>Runs the callback on the reporting thread (unlike <see cref="Progress{T}"/>, which posts to the pool).</summary>
    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
