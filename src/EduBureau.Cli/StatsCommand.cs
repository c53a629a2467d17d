using System.CommandLine;
using EduBureau.Core.Data;
using EduBureau.Core.Stats;

namespace EduBureau.Cli;

internal static class StatsCommand
{
    public static Command Create()
    {
        var db = new DbArgs();
        var year = new Option<int?>("--year") { Description = "学年（如 2026 表示 2026–2027 学年）；默认最新学年" };
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var cmd = new Command("stats", "按学年统计学校、班级、在校生和教职工数");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu stats");
            var y = r.GetValue(year) ?? await CountStats.DefaultYearAsync(ctx, TimeProvider.System, ct);
            var counts = await CountStats.ForYearAsync(ctx, y, ct);
            if (r.GetValue(format) == "json")
            {
                Output.WriteJson(counts);
                return 0;
            }
            Console.WriteLine($"{y}–{y + 1}学年：学校 {counts.Schools} 所，班级 {counts.Classes} 个，在校生 {counts.Students} 人，教职工 {counts.Staff} 人");
            foreach (var (level, c) in counts.ByLevel)
                Console.WriteLine($"  {level}：学校 {c.Schools} 所，在校生 {c.Students} 人");
            return 0;
        });
        return cmd;
    }
}
