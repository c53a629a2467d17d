using System.CommandLine;
using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Indicators;
using EduBureau.Core.Stats;

namespace EduBureau.Cli;

/// <summary><c>edu indicators</c> and <c>edu balance</c>: the indicator engine from the command line.</summary>
internal static class IndicatorCommands
{
    public static Command Indicators()
    {
        var db = new DbArgs();
        var year = new Option<int?>("--year") { Description = "学年（如 2025 表示 2025–2026 学年）；默认最新学年" };
        var scope = new Option<string>("--scope") { Description = "范围：all、county:县区名称、township:乡镇名称、school:学校标识码", DefaultValueFactory = _ => "all" };
        var by = new Option<string?>("--by") { Description = "分解：county、township、urban-rural、group、level、ownership、school" };
        var rows = new Option<bool>("--rows") { Description = "同时输出分子、分母背后的各校（乡镇）数据" };
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var code = new Option<string?>("--code") { Description = "只输出这一项指标（内置或自定义指标的代码）" };
        var cmd = new Command("indicators", "计算指标（毛入园率、巩固率、大班额比例、生师比等）");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(scope);
        cmd.Options.Add(by);
        cmd.Options.Add(rows);
        cmd.Options.Add(format);
        cmd.Options.Add(code);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            var json = ParseFormat(r.GetValue(format));
            var breakdown = ParseBreakdown(r.GetValue(by));
            var (sc, label, y) = await ResolveAsync(options, r.GetValue(scope), r.GetValue(year), ct);
            await using var ctx = Database.Open(options, sc);
            var snapshot = await SnapshotLoader.LoadAsync(ctx, y, ct);
            var withRows = r.GetValue(rows);
            var only = r.GetValue(code)?.Trim();
            if (only is not null && IndicatorCatalog.Find(only, snapshot.Custom) is null)
                throw new CliException($"未知的指标代码“{only}”。可用：{string.Join("、", IndicatorCatalog.All.Select(d => d.Code).Concat(snapshot.Custom.Select(c => c.Code)))}");
            IReadOnlyList<IndicatorValue> Pick(IReadOnlyList<IndicatorValue> all) => only is null ? all : all.Where(v => v.Code == only).ToList();
            if (breakdown is null)
            {
                var values = Pick(IndicatorEngine.Compute(snapshot));
                if (json) Output.WriteJson(new { year = y, scope = label, indicators = values.Select(v => ToJson(v, withRows)) });
                else
                {
                    Console.WriteLine($"{y}–{y + 1}学年 指标（范围：{label}）");
                    foreach (var v in values) Console.WriteLine("  " + Text(v));
                }
                return 0;
            }
            var groups = IndicatorEngine.ComputeBreakdown(snapshot, breakdown.Value);
            if (json)
                Output.WriteJson(new
                {
                    year = y, scope = label, breakdown = r.GetValue(by),
                    units = groups.Select(g => new { key = g.Key, name = g.Name, indicators = Pick(g.Values).Select(v => ToJson(v, withRows)) }),
                });
            else
                foreach (var g in groups)
                {
                    Console.WriteLine($"{g.Name}：");
                    foreach (var v in Pick(g.Values)) Console.WriteLine("  " + Text(v));
                }
            return 0;
        });
        return cmd;
    }

    public static Command Balance()
    {
        var db = new DbArgs();
        var year = new Option<int?>("--year") { Description = "学年；默认最新学年" };
        var level = new Option<string>("--level") { Description = "学段：小学 或 初中", Required = true };
        var scope = new Option<string>("--scope") { Description = "范围（县域）：all 或 county:县区名称", DefaultValueFactory = _ => "all" };
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var cmd = new Command("balance", "县域义务教育优质均衡：各校七项指标、达标情况和差异系数");
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(level);
        cmd.Options.Add(scope);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            var json = ParseFormat(r.GetValue(format));
            var stage = r.GetValue(level)?.Trim() switch
            {
                "小学" or "primary" => Stage.Primary,
                "初中" or "junior" => Stage.Junior,
                var x => throw new CliException($"无法识别的学段“{x}”：应为 小学 或 初中"),
            };
            var (sc, label, y) = await ResolveAsync(options, r.GetValue(scope), r.GetValue(year), ct);
            await using var ctx = Database.Open(options, sc);
            var snapshot = await SnapshotLoader.LoadAsync(ctx, y, ct);
            if (snapshot.Counties.Count > 1)
                throw new CliException($"范围内有 {snapshot.Counties.Count} 个县区；差异系数按县域计算，请用 --scope county:县区名称 指定一个县区");
            var b = BalanceEngine.Compute(snapshot, stage);
            if (json) Output.WriteJson(BalanceJson(b, label));
            else WriteBalanceText(b, label);
            return 0;
        });
        return cmd;
    }

    internal static async Task<(Core.Security.UserScope Scope, string Label, int Year)> ResolveAsync(
        DatabaseOptions options, string? scopeText, int? year, CancellationToken ct)
    {
        await using var ctx = Database.OpenSystem(options, "edu indicators");
        var resolved = await IndicatorScope.ResolveAsync(ctx, scopeText, ct);
        if (resolved.Value is not { } found) throw new CliException(resolved.Message!);
        var y = year ?? await CountStats.DefaultYearAsync(ctx, TimeProvider.System, ct);
        return (found.Scope, found.Label, y);
    }

    internal static bool ParseFormat(string? f) => f switch
    {
        "json" => true,
        "text" or null => false,
        _ => throw new CliException($"无法识别的输出格式“{f}”：应为 json 或 text"),
    };

    private static Breakdown? ParseBreakdown(string? by) => by switch
    {
        null => null,
        "county" => Breakdown.County,
        "township" => Breakdown.Township,
        "urban-rural" => Breakdown.UrbanRural,
        "group" => Breakdown.Group,
        "level" => Breakdown.Level,
        "ownership" => Breakdown.Ownership,
        "school" => Breakdown.School,
        _ => throw new CliException($"无法识别的分解方式“{by}”：应为 county、township、urban-rural、group、level、ownership 或 school"),
    };

    private static object ToJson(IndicatorValue v, bool withRows) => new
    {
        code = v.Code, name = v.Name, value = v.Value, numerator = v.Numerator, denominator = v.Denominator, unit = v.Unit,
        missing = v.Missing, notApplicable = v.NotApplicable,
        rows = withRows ? v.Rows.Select(x => new { kind = x.Kind, id = x.Id, name = x.Name, numerator = x.Numerator, denominator = x.Denominator }) : null,
    };

    private static string Num(double? x, string format = "0.0") => x is { } d ? d.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string Text(IndicatorValue v) => v.Value is { } x
        ? $"{v.Name}：{Num(x)}{v.Unit}（{Num(v.Numerator, "0.##")} / {Num(v.Denominator, "0.##")}）"
        : v.NotApplicable is { } na ? $"{v.Name}：不适用 — {na}" : $"{v.Name}：{v.Missing}";

    private static object BalanceJson(BalanceResult b, string scope) => new
    {
        year = b.Year, scope, level = b.Stage == Stage.Primary ? "小学" : "初中", balanced = b.Balanced, notApplicable = b.NotApplicable,
        cvLimit = BalanceEngine.CvLimit(b.Stage), passedSchools = b.PassedSchools, schoolCount = b.Schools.Count,
        indicators = BalanceEngine.Indicators.Select(i => new { number = i.Number, code = i.Code, name = i.Name, unit = i.Unit, line = i.Line(b.Stage) }),
        schools = b.Schools.Select(s => new
        {
            code = s.Code, name = s.Name, level = s.Level.Zh(), pupils = s.Pupils, share = s.Share, passed = s.Passed, note = s.Note,
            values = BalanceEngine.Indicators.Select((ind, i) => new { code = ind.Code, value = s.Values[i], reached = s.Reached[i] }),
        }),
        cvs = b.Cvs.Select(c => new
        {
            code = c.Code, name = c.Name, mean = c.Mean, stdDev = c.StdDev, cv = c.Cv, limit = c.Limit, withinLimit = c.WithinLimit,
            schools = c.Schools, missingSchools = c.MissingSchools,
        }),
        excluded = b.Excluded.Select(e => new { code = e.Code, name = e.Name, pupils = e.Pupils, reason = $"教学点在校生不足{BalanceEngine.TeachingPointMinimum}人" }),
    };

    private static void WriteBalanceText(BalanceResult b, string scope)
    {
        Console.WriteLine($"{b.Year}–{b.Year + 1}学年 {(b.Stage == Stage.Primary ? "小学" : "初中")} 优质均衡（范围：{scope}）");
        if (b.NotApplicable is { } na)
        {
            // Nothing to assess in this unit: said once, not a row of missing 差异系数.
            Console.WriteLine($"  不适用：{na}");
            return;
        }
        foreach (var s in b.Schools)
            Console.WriteLine($"  {s.Code} {s.Name}（{s.Pupils}人）：{string.Join("  ", s.Values.Select((v, i) => (s.Reached[i] ? "" : "×") + Num(v, "0.##")))}  {(s.Passed ? "达标" : "未达标")}{(s.Note is null ? "" : "；" + s.Note)}");
        foreach (var c in b.Cvs)
            Console.WriteLine($"  {c.Name}：差异系数 {Num(c.Cv, "0.000")}（≤ {c.Limit:0.00}）{(c.WithinLimit switch { true => "", false => " 超出", null => " 缺少数据" })}");
        Console.WriteLine($"  达标学校 {b.PassedSchools}/{b.Schools.Count}；县域{(b.Balanced switch { true => "达到", false => "未达到", null => "缺少数据，无法判断是否达到" })}优质均衡差异系数要求");
    }
}
