using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EduBureau.Cli;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Security;
using EduBureau.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Bench;

/// <summary>
/// <c>indicators</c>: the whole indicator set (load + compute) against one hand-written SQL query per
/// indicator (the floor a database gives), with both results side by side. Prints figures; asserts nothing.
/// </summary>
internal static class IndicatorBench
{
    public static Command Create()
    {
        var db = new DbArgs();
        var year = new Option<int?>("--year") { Description = "学年；默认最新学年" };
        var repeat = new Option<int>("--repeat") { Description = "重复次数（取最快）", DefaultValueFactory = _ => 3 };
        var cmd = new Command("indicators", "指标计算性能：引擎（加载+计算）与每个指标一条手写 SQL 对比，并核对结果");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(repeat);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            await using var ctx = Database.OpenSystem(options, "bench");
            var y = r.GetValue(year) ?? (await SnapshotLoader.YearsAsync(ctx, ct)).LastOrDefault();
            if (y == 0) throw new CliException("数据库中没有学年数据");
            var n = Math.Max(1, r.GetValue(repeat));
            var pupils = await ctx.Enrollments.CountAsync(e => e.Year == y && (e.Status == Core.Common.EnrollmentStatus.InSchool || e.Status == Core.Common.EnrollmentStatus.Suspended), ct);
            var schools = await ctx.Schools.CountAsync(ct);
            Console.WriteLine($"{Environment.ProcessorCount} 核，.NET {Environment.Version}，{options.Provider}；{y}–{y + 1}学年：{schools:N0} 所学校，在校生 {pupils:N0} 人");

            // Warm-up (JIT, EF query compilation, page cache), not measured.
            IndicatorEngine.Compute(await SnapshotLoader.LoadAsync(ctx, y, ct));
            var queries = IndicatorSql.For(y);
            foreach (var q in queries.Values) await IndicatorSql.EvaluateAsync(ctx, q, ct);

            double load = double.MaxValue, compute = double.MaxValue, breakdown = double.MaxValue, sql = double.MaxValue;
            IReadOnlyList<IndicatorValue> values = [];
            for (var i = 0; i < n; i++)
            {
                var sw = Stopwatch.StartNew();
                var snapshot = await SnapshotLoader.LoadAsync(ctx, y, ct);
                load = Math.Min(load, sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                values = IndicatorEngine.Compute(snapshot);
                compute = Math.Min(compute, sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                IndicatorEngine.ComputeBreakdown(snapshot, Breakdown.School);
                breakdown = Math.Min(breakdown, sw.Elapsed.TotalMilliseconds);
            }
            var sqlValues = new Dictionary<string, double?>();
            for (var i = 0; i < n; i++)
            {
                var sw = Stopwatch.StartNew();
                foreach (var (code, q) in queries) sqlValues[code] = await IndicatorSql.EvaluateAsync(ctx, q, ct);
                sql = Math.Min(sql, sw.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine($"{"指标",-36}{"引擎",14}{"SQL",14}  一致");
            var mismatches = 0;
            foreach (var v in values)
            {
                if (!sqlValues.TryGetValue(v.Code, out var s)) continue;
                var same = (v.Value, s) switch
                {
                    (null, null) => true,
                    ({ } a, { } b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(a)),
                    _ => false,
                };
                if (!same) mismatches++;
                Console.WriteLine($"{v.Code,-36}{F(v.Value),14}{F(s),14}  {(same ? "是" : "否")}");
            }
            var engine = load + compute;
            Console.WriteLine($"引擎：加载 {load:0} ms + 计算 {compute:0.0} ms = {engine:0} ms（{values.Count} 个指标）；按学校分解 {breakdown:0.0} ms");
            Console.WriteLine($"手写 SQL：{queries.Count} 条查询共 {sql:0} ms；引擎 / SQL = {engine / sql:0.00}");
            Console.WriteLine(mismatches == 0 ? "结果一致" : $"有 {mismatches} 个指标结果不一致");
        });
        return cmd;
    }

    private static string F(double? v) => v is { } x ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "缺少数据";
}
