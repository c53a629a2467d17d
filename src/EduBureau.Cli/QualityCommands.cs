using System.CommandLine;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Quality;

namespace EduBureau.Cli;

/// <summary><c>edu quality check</c>: the built-in data-quality rules (#17 item 3) over a year and the year before.</summary>
internal static class QualityCommands
{
    public static Command Create()
    {
        var db = new DbArgs();
        var year = new Option<int?>("--year") { Description = "学年；默认最新学年" };
        var scope = new Option<string>("--scope") { Description = "范围：all、county:县区名称、township:乡镇名称、school:学校标识码", DefaultValueFactory = _ => "all" };
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var check = new Command("check", "按内置规则（班额、在校生和教职工同比变动、办学条件）和教育局自定义的规则检查数据质量，列出错误和预警");
        db.AddTo(check);
        check.Options.Add(year);
        check.Options.Add(scope);
        check.Options.Add(format);
        check.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            var json = IndicatorCommands.ParseFormat(r.GetValue(format));
            var (sc, label, y) = await IndicatorCommands.ResolveAsync(options, r.GetValue(scope), r.GetValue(year), ct);
            await using var ctx = Database.Open(options, sc);
            var now = await SnapshotLoader.LoadAsync(ctx, y, ct);
            var before = await SnapshotLoader.LoadAsync(ctx, y - 1, ct);
            var user = await QualityRuleStore.EnabledAsync(ctx, null, ct);
            var found = QualityRuleStore.CheckAll(now, before.Schools.Count == 0 ? null : before, user, await RosterRulesLoader.LoadAsync(ctx, y, ct));
            // A township-level finding (一年级 against last year's 大班) names the township, which has no 学校标识码.
            var codes = now.Schools.ToDictionary(s => s.Id, s => ((string?)s.Code, s.Name));
            foreach (var t in now.Townships.Concat(now.Counties)) codes.TryAdd(t.Id, (null, t.Name));
            if (json)
                Output.WriteJson(new
                {
                    year = y, scope = label,
                    violations = found.Select(v => new
                    {
                        rule = v.Rule, severity = v.Severity == RuleSeverity.Error ? "error" : "warning",
                        school = codes.GetValueOrDefault(v.SchoolId).Item1, schoolName = codes.GetValueOrDefault(v.SchoolId).Name, values = v.Values, message = v.Message,
                    }),
                });
            else
            {
                Console.WriteLine($"{y}–{y + 1}学年 数据质量检查（范围：{label}）：错误 {found.Count(v => v.Severity == RuleSeverity.Error)} 条，预警 {found.Count(v => v.Severity == RuleSeverity.Warning)} 条");
                foreach (var v in found) Console.WriteLine($"  [{v.Severity.Zh()}] {v.Message}");
            }
            return 0;
        });
        var cmd = new Command("quality", "数据质量规则");
        cmd.Subcommands.Add(check);
        return cmd;
    }
}
