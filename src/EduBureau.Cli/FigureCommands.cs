using System.CommandLine;
using EduBureau.Core.Data;
using EduBureau.Core.Figures;
using EduBureau.Core.Indicators;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli;

/// <summary><c>edu figures recompute</c>: computes the stored figures (ADR 0012) now, as 重新计算 in the web app does.</summary>
internal static class FigureCommands
{
    public static Command Create()
    {
        var cmd = new Command("figures", "统计结果（指标数据、控辍保学比对、资助核查）：保存后按数据变更重新计算");
        cmd.Subcommands.Add(Recompute());
        return cmd;
    }

    private static Command Recompute()
    {
        var db = new DbArgs();
        var year = new Option<int?>("--year") { Description = "学年（默认：数据中的每个学年）" };
        var cmd = new Command("recompute", "重新计算并保存统计结果；网页随后直接读取保存的结果");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            IReadOnlyList<int> years;
            await using (var ctx = Database.OpenSystem(options, "edu figures"))
                years = r.GetValue(year) is { } y ? [y] : await SnapshotLoader.YearsAsync(ctx, ct);
            if (years.Count == 0) throw new CliException("数据中还没有学年，无可计算");
            var store = new FigureStore(options);
            List<(int Id, string Name, int Year)> exams;
            await using (var ctx = Database.OpenSystem(options, "edu figures"))
                exams = [.. (await ctx.Set<Core.Exams.Exam>().OrderBy(e => e.Id).Select(e => new { e.Id, e.Name, e.Year }).ToListAsync(ct))
                    .Where(e => years.Contains(e.Year)).Select(e => (e.Id, e.Name, e.Year))];
            foreach (var y in years)
                foreach (var kind in FigureCatalog.All)
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    await store.RecomputeAsync(kind, y, "edu figures", ct);
                    Console.WriteLine($"{y}–{y + 1}学年 {kind.Name}：已计算（{watch.Elapsed.TotalSeconds:0.0} 秒）");
                }
            foreach (var (id, name, y) in exams)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                await store.RecomputeAsync(Core.Exams.ExamFigures.Data, id, "edu figures", ct);
                Console.WriteLine($"{y}–{y + 1}学年 考试“{name}”成绩数据：已读取（{watch.Elapsed.TotalSeconds:0.0} 秒）");
            }
            return 0;
        });
        return cmd;
    }
}
