using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EduBureau.Cli;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Organization;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Bench;

/// <summary>
/// <c>province</c> (#16 item 6): every county's indicators and 优质均衡 (both stages) of a many-county database, as the
/// stored figures compute them: one snapshot of the whole database, cut to each county. Prints the time of each step
/// against the goal (≤ 30 s in all) and the process's memory, so runs at different scales show whether memory stays flat.
/// </summary>
internal static class ProvinceBench
{
    public static Command Create()
    {
        var db = new DbArgs();
        var year = new Option<int?>("--year") { Description = "学年；默认最新学年" };
        var cmd = new Command("province", "省级规模：一次加载全库指标快照，再逐县计算全部指标和优质均衡（小学、初中），打印用时与内存");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            var total = Stopwatch.StartNew();
            await using var ctx = Database.OpenSystem(options, "bench");
            var y = r.GetValue(year) ?? (await SnapshotLoader.YearsAsync(ctx, ct)).LastOrDefault();
            if (y == 0) throw new CliException("数据库中没有学年数据");
            var counties = await ctx.OrgUnits.Where(u => u.Kind == OrgUnitKind.County).OrderBy(u => u.Id)
                .Select(u => new { u.Id, u.Name, u.Path }).ToListAsync(ct);
            var pupils = await ctx.Enrollments.InSchool(y).CountAsync(ct);
            var schools = await ctx.Schools.CountAsync(ct);
            Console.WriteLine($"{Environment.ProcessorCount} 核，.NET {Environment.Version}，{options.Provider}；{y}–{y + 1}学年：" +
                              $"{counties.Count} 个县区，{schools:N0} 所学校，在校生 {pupils:N0} 人（计数查询 {total.Elapsed.TotalSeconds:0.0} 秒，不计入下面的用时）");

            var sw = Stopwatch.StartNew();
            var snapshot = await SnapshotLoader.LoadAsync(ctx, y, ct);
            var load = sw.Elapsed;
            var afterLoad = Memory();
            sw.Restart();
            var indicators = 0;
            var failed = new List<string>();
            var perCounty = new List<double>();
            foreach (var c in counties)
            {
                var one = Stopwatch.StartNew();
                var cut = snapshot.Within(c.Path);
                indicators += IndicatorEngine.Compute(cut).Count;
                foreach (var stage in new[] { Stage.Primary, Stage.Junior })
                {
                    var b = BalanceEngine.Compute(cut, stage);
                    if (b.Schools.Count == 0) failed.Add($"{c.Name}{(stage == Stage.Primary ? "小学" : "初中")}");
                }
                perCounty.Add(one.Elapsed.TotalMilliseconds);
            }
            var compute = sw.Elapsed;
            var end = Memory();
            var all = load + compute;
            perCounty.Sort();
            Console.WriteLine($"加载全库快照 {load.TotalSeconds:0.00} 秒（{snapshot.Schools.Count:N0} 所学校，{snapshot.Pupils.Count:N0} 行年级人数，" +
                              $"{snapshot.Classes.Count:N0} 个班）；内存：工作集 {afterLoad.WorkingSetMb:N0} MB，托管堆 {afterLoad.HeapMb:N0} MB");
            Console.WriteLine($"逐县计算 {counties.Count} 个县：{compute.TotalSeconds:0.00} 秒（每县中位 {Median(perCounty):0} ms，最慢 {perCounty.LastOrDefault():0} ms），" +
                              $"共 {indicators:N0} 个指标值和 {counties.Count * 2} 份优质均衡");
            if (failed.Count > 0) Console.WriteLine($"没有学校的优质均衡：{string.Join("、", failed.Take(10))}{(failed.Count > 10 ? " …" : "")}");
            Console.WriteLine($"合计 {all.TotalSeconds:0.00} 秒；目标 ≤ 30 秒：{(all.TotalSeconds <= 30 ? "达到" : "未达到")}");
            Console.WriteLine($"内存峰值：工作集 {end.PeakWorkingSetMb:N0} MB（进程启动以来），结束时托管堆 {end.HeapMb:N0} MB；" +
                              $"每百万在校生 {(pupils > 0 ? end.PeakWorkingSetMb / (pupils / 1e6) : 0):N0} MB");
        });
        return cmd;
    }

    private static double Median(List<double> sorted) => sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];

    private static (double WorkingSetMb, double PeakWorkingSetMb, double HeapMb) Memory()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return (p.WorkingSet64 / 1048576.0, p.PeakWorkingSet64 / 1048576.0, GC.GetTotalMemory(false) / 1048576.0);
    }
}
