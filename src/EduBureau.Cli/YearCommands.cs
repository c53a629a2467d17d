using System.CommandLine;
using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Years;

namespace EduBureau.Cli;

/// <summary><c>edu year list|open</c>: the school years in the data, and 新学年 (year Y made from Y−1).</summary>
internal static class YearCommands
{
    public static Command Create()
    {
        var cmd = new Command("year", "学年：列出学年、开启新学年");
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Open());
        return cmd;
    }

    private static Option<string> Format() => new("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };

    private static Command List()
    {
        var db = new DbArgs();
        var format = Format();
        var cmd = new Command("list", "列出有数据的学年（新的在前）及在校生、班级、教职工数");
        db.AddTo(cmd);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu years");
            var years = await OpenSchoolYear.ListAsync(ctx, ct);
            if (r.GetValue(format) == "json")
            {
                Output.WriteJson(years.Select(y => new { year = y.Year, name = $"{y.Year}–{y.Year + 1}学年", hasYearRow = y.HasYearRow, pupils = y.Pupils, classes = y.Classes, staff = y.Staff }));
                return 0;
            }
            if (years.Count == 0) Console.WriteLine("还没有任何学年的数据");
            foreach (var y in years)
                Console.WriteLine($"{y.Year}–{y.Year + 1}学年：在校生 {y.Pupils} 人，班级 {y.Classes} 个，教职工 {y.Staff} 人{(y.HasYearRow ? "" : "（缺少学年记录）")}");
            return 0;
        });
        return cmd;
    }

    private static Command Open()
    {
        var db = new DbArgs();
        var year = new Option<int>("--year") { Description = "要开启的学年（如 2025 表示 2025–2026 学年，由 2024 学年升级而来）", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "只预览：列出每所学校升级、毕业、新建班级和结转教职工的人数，不写入" };
        var graduation = new Option<string?>("--graduation-date") { Description = "毕业日期（yyyy-MM-dd），默认该学年的 6 月 30 日" };
        var format = Format();
        var cmd = new Command("open", "开启新学年：上一学年在校生升一个年级，毕业年级记为毕业，教职工任职结转");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(dryRun);
        cmd.Options.Add(graduation);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            var y = r.GetValue(year);
            if (y is < 2000 or > 2100) throw new CliException($"--year 无效：{y}");
            DateOnly? date = null;
            if (r.GetValue(graduation) is { } g)
            {
                if (!DateOnly.TryParseExact(g, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                    throw new CliException($"--graduation-date 无法识别“{g}”（应为 yyyy-MM-dd）");
                date = d;
            }
            var options = new RolloverOptions(date);
            await using var ctx = Database.OpenSystem(db.Resolve(r), "cli");
            OpenYearResult result;
            if (r.GetValue(dryRun)) result = new OpenYearResult(await OpenSchoolYear.PreviewAsync(ctx, y, ct), false, TimeSpan.Zero);
            else result = await OpenSchoolYear.RunAsync(ctx, y, options, ct);
            var plan = result.Plan;
            var json = r.GetValue(format) == "json";
            if (json)
            {
                var t = plan.Total;
                Output.WriteJson(new
                {
                    year = y, state = plan.State.ToString(), message = plan.Message, dryRun = r.GetValue(dryRun), written = result.Written,
                    graduationDate = options.GraduationDateFor(y).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    elapsedMs = (long)result.Elapsed.TotalMilliseconds,
                    total = new { promoted = t.Promoted, graduating = t.Graduating, classes = t.Classes, staff = t.Staff },
                    skippedClosedPupils = plan.SkippedClosedPupils,
                    schools = plan.Schools.Select(s => new
                    {
                        township = s.Township, school = s.School, level = s.Level.Zh(),
                        promoted = s.Counts.Promoted, graduating = s.Counts.Graduating, classes = s.Counts.Classes, staff = s.Counts.Staff,
                    }),
                });
            }
            else
            {
                if (r.GetValue(dryRun)) Console.WriteLine($"预览（未写入）：{plan.Message}");
                else if (result.Written) Console.WriteLine($"{plan.Message}；用时 {result.Elapsed.TotalSeconds:0.0} 秒");
                else if (!plan.Refused) Console.WriteLine(plan.Message);
                if (!plan.Refused && (r.GetValue(dryRun) || result.Written))
                {
                    Console.WriteLine("乡镇\t学校\t升级\t毕业\t新建班级\t教职工");
                    foreach (var s in plan.Schools)
                        Console.WriteLine($"{s.Township}\t{s.School}\t{s.Counts.Promoted}\t{s.Counts.Graduating}\t{s.Counts.Classes}\t{s.Counts.Staff}");
                    if (plan.SkippedClosedPupils > 0) Console.WriteLine($"已关闭学校的在校生 {plan.SkippedClosedPupils} 人未处理");
                }
            }
            if (plan.Refused)
            {
                if (json) return 1;
                throw new CliException(plan.Message);
            }
            return 0;
        });
        return cmd;
    }
}
