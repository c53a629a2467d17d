using System.CommandLine;
using EduBureau.Core.Aid;
using EduBureau.Core.Data;

namespace EduBureau.Cli;

/// <summary><c>edu aid check</c>: 精准资助 checks of a school year's disbursements.</summary>
internal static class AidCommands
{
    public static Command Create()
    {
        var cmd = new Command("aid", "学生资助：发放名单核查");
        cmd.Subcommands.Add(Check());
        return cmd;
    }

    private static Command Check()
    {
        var db = new DbArgs();
        var year = new Option<int>("--year") { Description = "学年（如 2025 表示 2025–2026 学年）", Required = true };
        var term = new Option<string?>("--term") { Description = "学期：1（秋季）或 2（春季），也可写 2025-1；默认检查已有发放记录的学期" };
        var file = new Option<string?>("--file") { Description = "发放名单（.xlsx：学籍号、姓名、项目、学期、金额）：先导入，再核查" };
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var cmd = new Command("check", "核查漏助、不符合条件发放、重复发放、金额不符、发放给不在校学生");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(term);
        cmd.Options.Add(file);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu aid");
            var y = r.GetValue(year);
            int[]? terms = null;
            if (r.GetValue(term) is { } t)
            {
                if (t is "1" or "2") terms = [t == "1" ? 1 : 2];
                else if (AidLabels.TryParseTerm(t, out var ty, out var tt) && ty == y) terms = [tt];
                else throw new CliException($"--term 无法识别“{t}”（应为 1 或 2，或本学年的 {y}-1 / {y}-2）");
            }
            if (r.GetValue(file) is { } f)
            {
                if (!File.Exists(f)) throw new CliException($"文件不存在：{f}");
                await using var stream = File.OpenRead(f);
                var outcome = await ImportDisbursements.RunAsync(ctx, stream, Path.GetFileName(f), ct);
                foreach (var w in outcome.Value!.Warnings) Console.Error.WriteLine($"警告：{w}");
                if (!outcome.Succeeded) throw new CliException($"发放名单未导入（没有写入任何数据）：{Environment.NewLine}{string.Join(Environment.NewLine, outcome.Issues)}");
            }
            var rows = await CheckAid.RunAsync(ctx, y, terms, ct);
            if (r.GetValue(format) == "json")
            {
                object Items(AidIssueKind k) => rows.Where(x => x.Kind == k).Select(x => new
                {
                    studentNo = x.StudentNo, name = x.Name, school = x.School, township = x.Township, program = x.Program,
                    term = AidLabels.TermLabel(x.Year, x.Term), paid = x.Paid, expected = x.Expected, payments = x.Payments,
                }).ToList();
                Output.WriteJson(new
                {
                    missed = Items(AidIssueKind.Missed), ineligible = Items(AidIssueKind.Ineligible), duplicate = Items(AidIssueKind.Duplicate),
                    wrongAmount = Items(AidIssueKind.WrongAmount), notInSchool = Items(AidIssueKind.NotInSchool),
                });
                return 0;
            }
            Console.WriteLine($"{y}–{y + 1}学年资助核查：问题 {rows.Count} 条");
            foreach (var g in rows.GroupBy(x => x.Kind))
            {
                Console.WriteLine($"  {g.Key.Zh()}：{g.Count()} 条");
                foreach (var x in g)
                    Console.WriteLine($"    {x.StudentNo} {x.Name} {x.School} {x.Program} {AidLabels.TermLabel(x.Year, x.Term)} 已发 {x.Paid:0.##} 应发 {x.Expected:0.##}");
            }
            return 0;
        });
        return cmd;
    }
}
