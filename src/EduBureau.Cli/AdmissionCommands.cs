using EduBureau.Demo.Admission;
using System.CommandLine;
using System.Globalization;
using EduBureau.Core.Admission;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli;

/// <summary><c>edu admission allocate|run|sample|runs|publish|import-legacy</c>.</summary>
internal static class AdmissionCommands
{
    public static Command Create()
    {
        var cmd = new Command("admission", "中考招生：指标生名额分配、录取、样例数据");
        cmd.Subcommands.Add(Allocate());
        cmd.Subcommands.Add(RunCommand());
        cmd.Subcommands.Add(Sample());
        cmd.Subcommands.Add(Runs());
        cmd.Subcommands.Add(Publish());
        cmd.Subcommands.Add(ImportLegacy());
        return cmd;
    }

    private static Option<string?> LegacyDirOption() =>
        new("--legacy-dir") { Description = "旧版的录取数据文件夹（默认：数据库文件旁的 admission 文件夹）" };

    /// <summary>Imports the previous release's dataset folders not yet in the database (once; folders stay as they are).</summary>
    private static async Task ImportLegacyAsync(EduDbContext db, DatabaseOptions options, string? dir, bool quiet, CancellationToken ct)
    {
        var folder = Path.GetFullPath(dir ?? options.BesideDatabase("admission"));
        foreach (var line in await AdmissionLegacyImport.ImportAsync(db, folder, ct))
            if (!quiet) Console.WriteLine($"已从旧版文件夹导入：{line}");
    }

    private static Command Runs()
    {
        var db = new DbArgs();
        var legacy = LegacyDirOption();
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var cmd = new Command("runs", "列出数据库中保存的录取结果（草稿、已发布）；先导入旧版文件夹中尚未导入的数据");
        db.AddTo(cmd);
        cmd.Options.Add(legacy);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            var json = r.GetValue(format) == "json";
            await using var ctx = Database.OpenSystem(options, "edu admission");
            await ImportLegacyAsync(ctx, options, r.GetValue(legacy), json, ct);
            var runs = await AdmissionRuns.ListRunsAsync(ctx, ct);
            if (json)
            {
                Output.WriteJson(runs.Select(x => new
                {
                    x.Id, x.DatasetId, x.DatasetName, x.State, settings = x.SettingsText, x.CreatedAtUtc, x.CreatedBy, x.PublishedAtUtc, x.PublishedBy,
                    x.Applicants, x.Admitted, x.Unplaced,
                }));
                return 0;
            }
            if (runs.Count == 0) Console.WriteLine("数据库中没有录取结果。");
            foreach (var x in runs)
                Console.WriteLine($"#{x.Id} {x.DatasetName} [{x.State}] 考生 {x.Applicants} 人，录取 {x.Admitted} 人，未录取 {x.Unplaced} 人；{x.SettingsText}"
                    + (x.PublishedAtUtc is { } p ? $"；发布 {x.PublishedBy} {p:yyyy-MM-dd HH:mm} UTC" : ""));
            return 0;
        });
        return cmd;
    }

    private static Command Publish()
    {
        var db = new DbArgs();
        var run = new Option<int>("--run") { Description = "要发布的录取结果编号（edu admission runs 列出）", Required = true };
        var user = new Option<string>("--user") { Description = "记录为发布人", DefaultValueFactory = _ => "edu" };
        var cmd = new Command("publish", "发布一个录取结果（发布后不可修改；再次发布另一结果会新增一条发布记录）") { run, user };
        db.AddTo(cmd);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu admission");
            var result = await AdmissionRuns.PublishAsync(ctx, r.GetValue(run), r.GetValue(user)!, ct);
            if (result.Value is not { } published) throw new CliException(result.Message ?? "发布失败");
            Console.WriteLine($"已发布：#{published.Id} {published.SettingsText}");
            return 0;
        });
        return cmd;
    }

    private static Command ImportLegacy()
    {
        var db = new DbArgs();
        var legacy = LegacyDirOption();
        var cmd = new Command("import-legacy", "把旧版保存在文件夹中的录取数据导入数据库（每个文件夹只导入一次，文件夹保持不变）") { legacy };
        db.AddTo(cmd);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            await using var ctx = Database.OpenSystem(options, "edu admission");
            var before = await ctx.Set<AdmissionDataset>().CountAsync(ct);
            await ImportLegacyAsync(ctx, options, r.GetValue(legacy), false, ct);
            if (await ctx.Set<AdmissionDataset>().CountAsync(ct) == before) Console.WriteLine("没有需要导入的旧版录取数据。");
            return 0;
        });
        return cmd;
    }

    private static Option<decimal?> ShareOption() => new("--share") { Description = "指标生占统招计划的比例（0–1，如 0.4）；不指定则用高中计划中的“指标生计划”列" };

    private static Option<string> UnitOption() => new("--unit") { Description = "分配单位：school（初中学校）或 township（乡镇）", DefaultValueFactory = _ => "school" };

    private static AllocationUnitKind ParseUnit(string value) => value.Trim().ToLowerInvariant() switch
    {
        "school" or "学校" or "初中学校" => AllocationUnitKind.School,
        "township" or "乡镇" => AllocationUnitKind.Township,
        _ => throw new CliException($"--unit 只能是 school 或 township，而不是“{value}”"),
    };

    private static Command Allocate()
    {
        var plans = new Option<string>("--plans") { Description = "高中计划 .xlsx（工作表“高中计划”或第一个工作表）", Required = true };
        var graduates = new Option<string?>("--graduates") { Description = "初中学校 .xlsx：学校标识码、学校名称、所属乡镇、九年级毕业生数" };
        var fromDb = new Option<string?>("--graduates-from-db") { Description = "从 SQLite 数据库的学籍名册统计九年级毕业生数" };
        var year = new Option<int?>("--year") { Description = "学年（用于 --graduates-from-db；默认最新学年）" };
        var share = ShareOption();
        var unit = UnitOption();
        var output = new Option<string>("--out") { Description = "输出的指标生名额表 .xlsx", Required = true };
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var cmd = new Command("allocate", "按九年级毕业生数用最大余数法分配各高中的指标生名额") { plans, graduates, fromDb, year, share, unit, output, format };
        cmd.SetAction(async (r, ct) =>
        {
            var kind = ParseUnit(r.GetValue(unit)!);
            var planList = Guard(() => AdmissionWorkbook.ReadPlans(OpenFile(r.GetValue(plans)!), Path.GetFileName(r.GetValue(plans)!)));
            List<JuniorSchool> juniors;
            if (r.GetValue(graduates) is { } gfile)
            {
                if (r.GetValue(fromDb) is not null) throw new CliException("--graduates 与 --graduates-from-db 只能指定一个");
                juniors = Guard(() => AdmissionWorkbook.ReadJuniors(OpenFile(gfile), Path.GetFileName(gfile)));
            }
            else if (r.GetValue(fromDb) is { } dbFile)
            {
                if (!File.Exists(dbFile)) throw new CliException($"找不到数据库文件：{dbFile}");
                await using var db = Database.OpenSystem(DatabaseOptions.ForSqliteFile(dbFile), "edu admission");
                var y = r.GetValue(year) ?? await EduBureau.Core.Stats.CountStats.DefaultYearAsync(db, TimeProvider.System, ct);
                juniors = await LoadGraduates.FromRosterAsync(db, y, ct);
                if (juniors.Count == 0) throw new CliException($"数据库中 {y}–{y + 1} 学年没有九年级在校生");
            }
            else throw new CliException("请用 --graduates 指定初中学校毕业生文件，或用 --graduates-from-db 指定数据库");

            var input = new AdmissionInput(planList, [], juniors);
            if (kind == AllocationUnitKind.Township && juniors.FirstOrDefault(j => string.IsNullOrWhiteSpace(j.Township)) is { } noTown)
                throw new CliException($"初中学校 {noTown.Code}（第{noTown.Row}行）没有所属乡镇，无法按乡镇分配");
            var s = r.GetValue(share);
            if (s is < 0 or > 1) throw new CliException($"--share {s} 应在 0 到 1 之间");
            var units = QuotaAllocator.Units(input, kind);
            IReadOnlyList<QuotaCell> cells;
            try
            {
                cells = QuotaAllocator.Table(planList, units, s);
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }
            if (cells.Count == 0) throw new CliException("没有指标生名额：请用 --share 指定比例，或在高中计划中填写“指标生计划”");
            var outFile = r.GetValue(output)!;
            WriteAtomically(outFile, stream => AdmissionWorkbook.WriteQuotas(cells, stream));
            if (r.GetValue(format) == "json")
            {
                Output.WriteJson(new { unit = kind == AllocationUnitKind.School ? "school" : "township", quotas = cells });
                return 0;
            }
            Console.WriteLine($"按{kind.Zh()}分配：{units.Count} 个单位，{cells.Select(c => c.SchoolCode).Distinct().Count()} 所高中，共 {cells.Sum(c => c.Places)} 个指标生名额 → {outFile}");
            foreach (var g in cells.GroupBy(c => (c.SchoolCode, c.SchoolName)))
                Console.WriteLine($"  {g.Key.SchoolName}（{g.Key.SchoolCode}）：{string.Join("，", g.Where(c => c.Places > 0).Select(c => $"{c.UnitName} {c.Places}"))}");
            return 0;
        });
        return cmd;
    }

    private static Command RunCommand()
    {
        var inputFile = new Option<string>("--input") { Description = "录取数据 .xlsx：高中计划、考生，可选 初中学校、指标生名额", Required = true };
        var quotas = new Option<string?>("--quotas") { Description = "指标生名额表 .xlsx（edu admission allocate 的输出）" };
        var share = ShareOption();
        var unit = UnitOption();
        var reduction = new Option<decimal>("--reduction") { Description = "指标生降分（分）", DefaultValueFactory = _ => 20m };
        var order = new Option<string>("--order") { Description = "tongzhao-first（先统招后指标生）或 zhibiao-first", DefaultValueFactory = _ => "tongzhao-first" };
        var mode = new Option<string>("--mode") { Description = "统招投档方式：parallel（平行志愿）或 preference-first（志愿优先）", DefaultValueFactory = _ => "parallel" };
        var tieBreak = new Option<string>("--tie-break") { Description = "同分比较科目顺序，如 语文,数学,英语", DefaultValueFactory = _ => "语文,数学,英语" };
        var minLine = new Option<decimal?>("--min-line") { Description = "最低控制线" };
        var countyLine = new Option<string[]>("--county-line") { Description = "分县区最低控制线，如 --county-line 甲县=450（可重复）", AllowMultipleArgumentsPerToken = false };
        var tieFollow = new Option<bool>("--tie-follow") { Description = "同分跟进：与最后录取者同分的考生一并录取" };
        var noReturn = new Option<bool>("--no-return") { Description = "未完成的指标生名额不转回统招（默认转回：配转统）" };
        var advance = new Option<string[]>("--advance") { Description = "提前批：名称=学校标识码,学校标识码（可重复，按顺序先于其他批次）" };
        var maxTotal = new Option<decimal>("--max-total") { Description = "总分满分（检查分数范围）", DefaultValueFactory = _ => 800m };
        var output = new Option<string?>("--out") { Description = "输出录取结果 .xlsx（录取名册、分数线）" };
        var format = new Option<string>("--format") { Description = "输出格式：json 或 text", DefaultValueFactory = _ => "text" };
        var explain = new Option<string[]>("--explain") { Description = "输出这些考号的录取说明（可重复）" };
        var cmd = new Command("run", "按配置运行中考录取（确定性：相同输入得到相同结果）")
        {
            inputFile, quotas, share, unit, reduction, order, mode, tieBreak, minLine, countyLine, tieFollow, noReturn, advance, maxTotal, output, format, explain,
        };
        cmd.SetAction(r =>
        {
            var file = r.GetValue(inputFile)!;
            var warnings = new List<string>();
            var input = Guard(() => AdmissionWorkbook.Read(OpenFile(file), Path.GetFileName(file), warnings));
            var s = r.GetValue(share);
            if (r.GetValue(quotas) is { } qfile)
            {
                var q = Guard(() => AdmissionWorkbook.ReadQuotas(OpenFile(qfile), Path.GetFileName(qfile)));
                input = WithQuotas(input, q, s);
            }
            var config = new AdmissionConfig
            {
                ZhibiaoShare = s,
                Unit = ParseUnit(r.GetValue(unit)!),
                Reduction = r.GetValue(reduction),
                Order = r.GetValue(order) switch
                {
                    "tongzhao-first" => RoundOrder.TongzhaoFirst,
                    "zhibiao-first" => RoundOrder.ZhibiaoFirst,
                    var other => throw new CliException($"--order 只能是 tongzhao-first 或 zhibiao-first，而不是“{other}”"),
                },
                TongzhaoMode = r.GetValue(mode) switch
                {
                    "parallel" => PreferenceMode.Parallel,
                    "preference-first" => PreferenceMode.PreferenceFirst,
                    var m => throw new CliException($"--mode 只能是 parallel 或 preference-first，而不是“{m}”"),
                },
                TieBreakOrder = ParseTieBreak(r.GetValue(tieBreak)!),
                MinimumLine = r.GetValue(minLine),
                CountyMinimumLines = ParseCountyLines(r.GetValue(countyLine)),
                TieFollow = r.GetValue(tieFollow),
                ReturnUnfilled = !r.GetValue(noReturn),
                AdvanceBatches = ParseAdvance(r.GetValue(advance)),
                MaxTotal = r.GetValue(maxTotal),
            };
            var result = Guard(() => AdmissionEngine.Run(input, config));
            foreach (var w in warnings) Console.Error.WriteLine($"提示：{w}");
            if (r.GetValue(output) is { } outFile) WriteAtomically(outFile, stream => AdmissionWorkbook.WriteResult(result, stream));
            var explained = (r.GetValue(explain) ?? []).Select(e =>
            {
                var i = result.IndexOf(e);
                return i < 0 ? throw new CliException($"考号 {e} 不在考生名单中") : result.Explain(i);
            }).ToList();
            if (r.GetValue(format) == "json")
            {
                if (explained.Count == 0) Console.Out.WriteLine(result.ToJsonString());
                else Output.WriteJson(new { result = result.ToJson(), explanations = explained });
                return 0;
            }
            Console.WriteLine($"考生 {result.ApplicantCount} 人，录取 {result.AdmittedCount} 人，未录取 {result.ApplicantCount - result.AdmittedCount} 人");
            Console.WriteLine($"{"批次",-6}{"学校",-24}{"分数线",8}{"录取",6}{"计划",6}");
            foreach (var c in result.Cutoffs())
                Console.WriteLine($"{c.Round,-6}{c.SchoolName,-24}{(c.Score?.ToString(CultureInfo.InvariantCulture) ?? "—"),8}{c.Admitted,6}{c.Places,6}");
            foreach (var e in explained)
            {
                Console.WriteLine($"{e.ExamNo} {e.Name}（总分 {e.Total}，第 {e.Rank} 名）：{e.Outcome}");
                foreach (var p in e.Preferences) Console.WriteLine($"  志愿{p.Number} {p.SchoolName}：{p.Reason}");
                if (e.Zhibiao is not null) Console.WriteLine($"  {e.Zhibiao}");
            }
            if (r.GetValue(output) is { } o) Console.WriteLine($"结果已写入 {o}");
            return 0;
        });
        return cmd;
    }

    private static Command Sample()
    {
        var output = new Option<string>("--out") { Description = "输出的样例录取数据 .xlsx", Required = true };
        var db = new Option<string?>("--db") { Description = "SQLite 数据库（如演示县）：按其九年级学生所在初中、高级中学/完全中学生成样例（考生为虚构）" };
        var year = new Option<int?>("--year") { Description = "学年（用于 --db；默认最新学年）" };
        var applicants = new Option<int>("--applicants") { Description = "考生人数（纯合成或 --real 时）", DefaultValueFactory = _ => 5000 };
        var seed = new Option<ulong>("--seed") { Description = "随机种子（相同种子得到相同数据）", DefaultValueFactory = _ => 1UL };
        var schools = new Option<int>("--schools") { Description = "高中数（仅纯合成数据）", DefaultValueFactory = _ => 20 };
        var preferences = new Option<int>("--preferences") { Description = "每名考生的志愿数", DefaultValueFactory = _ => 6 };
        var real = new Option<string?>("--real") { Description = "外部真实数据目录（schools.2024.xlsx 与 score.stats.2024.xlsx）：按其计划和一分一段表生成" };
        var synthetic = new Option<bool>("--synthetic") { Description = "纯合成数据（不指定 --db 和 --real 时即是如此）" };
        var cmd = new Command("sample", "生成一份样例录取数据（虚构考生），用于试用：--db 按数据库中的县生成，否则纯合成")
        {
            output, db, year, applicants, seed, schools, preferences, real, synthetic,
        };
        cmd.SetAction(async (r, ct) =>
        {
            var n = r.GetValue(applicants);
            if (n is < 1 or > 2_000_000) throw new CliException("--applicants 应在 1 到 2000000 之间");
            var p = r.GetValue(preferences);
            if (p is < 1 or > 30) throw new CliException("--preferences 应在 1 到 30 之间");
            var dbFile = r.GetValue(db);
            var realDir = r.GetValue(real);
            if (r.GetValue(synthetic) && (dbFile is not null || realDir is not null)) throw new CliException("--synthetic 不能与 --db 或 --real 同时使用");
            if (dbFile is not null && realDir is not null) throw new CliException("--db 与 --real 只能指定一个");
            AdmissionInput input;
            string source;
            if (dbFile is not null)
            {
                if (!File.Exists(dbFile)) throw new CliException($"找不到数据库文件：{dbFile}");
                await using var ctx = Database.OpenSystem(DatabaseOptions.ForSqliteFile(dbFile), "edu admission sample");
                var y = r.GetValue(year) ?? await EduBureau.Core.Stats.CountStats.DefaultYearAsync(ctx, TimeProvider.System, ct);
                input = await GuardAsync(() => CountySample.BuildAsync(ctx, y, p, r.GetValue(seed), ct: ct));
                source = $"按数据库 {y}–{y + 1} 学年九年级学生所在初中与本县高中生成，考生、分数和志愿为虚构";
            }
            else if (realDir is not null)
            {
                if (!Directory.Exists(realDir)) throw new CliException($"找不到真实数据目录：{realDir}");
                var shape = RealShape.TryLoad(realDir) ?? throw new CliException($"{realDir} 中没有可用的 schools.2024.xlsx 与 score.stats.2024.xlsx");
                input = SyntheticCohort.FromShape(shape, n, p, r.GetValue(seed));
                source = "按外部计划与一分一段表的分布合成，考生为虚构";
            }
            else
            {
                input = SyntheticCohort.Generate(n, r.GetValue(schools), p, seed: r.GetValue(seed));
                input = input with { Plans = input.Plans.Select(x => x with { ZhibiaoPlaces = (int)Math.Round(x.Places * 0.4m, MidpointRounding.AwayFromZero) }).ToList() };
                source = "纯合成数据";
            }
            var outFile = r.GetValue(output)!;
            WriteAtomically(outFile, stream => AdmissionWorkbook.WriteInput(input, stream));
            Console.WriteLine($"已生成 {outFile}：高中 {input.Plans.Count} 所，初中 {input.JuniorSchools!.Count} 所，考生 {input.Applicants.Count} 人（{source}）");
            return 0;
        });
        return cmd;
    }

    /// <summary>With a quotas file and no share: plans without an explicit 指标生计划 take the quota table's sum.</summary>
    private static AdmissionInput WithQuotas(AdmissionInput input, List<QuotaEntry> quotas, decimal? share)
    {
        if (share is not null) return input with { Quotas = quotas };
        var sums = quotas.GroupBy(q => q.SchoolCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(q => q.Places), StringComparer.Ordinal);
        var plans = input.Plans.Select(p => p.ZhibiaoPlaces is null ? p with { ZhibiaoPlaces = sums.GetValueOrDefault(p.Code) } : p).ToList();
        return input with { Plans = plans, Quotas = quotas };
    }

    private static List<TieBreakSubject> ParseTieBreak(string value) =>
        AdmissionLabels.ParseTieBreak(value, out var unknown) ?? throw new CliException($"--tie-break 中“{unknown}”不是语文、数学或英语");

    private static Dictionary<string, decimal>? ParseCountyLines(string[]? values)
    {
        if (values is null || values.Length == 0) return null;
        var d = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var i = v.LastIndexOf('=');
            if (i <= 0 || !decimal.TryParse(v[(i + 1)..], NumberStyles.Number, CultureInfo.InvariantCulture, out var line))
                throw new CliException($"--county-line “{v}” 格式应为 县区名=分数");
            d[v[..i].Trim()] = line;
        }
        return d;
    }

    private static List<BatchSpec> ParseAdvance(string[]? values)
    {
        var list = new List<BatchSpec>();
        foreach (var v in values ?? [])
        {
            var i = v.IndexOf('=');
            if (i <= 0) throw new CliException($"--advance “{v}” 格式应为 批次名称=学校标识码,学校标识码");
            list.Add(new BatchSpec(v[..i].Trim(), BatchKind.Advance, SchoolCodes: v[(i + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }
        return list;
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"无法打开文件 {path}：{(e is FileNotFoundException or DirectoryNotFoundException ? "文件不存在" : e.Message)}");
        }
    }

    private static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (AdmissionInputException e)
        {
            throw new CliException(string.Join("\n", e.Errors));
        }
    }

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (AdmissionInputException e)
        {
            throw new CliException("输入有误，未运行录取：\n  " + string.Join("\n  ", e.Errors));
        }
    }

    /// <summary>Writes to a temporary file first, so a failure never leaves a half-written workbook.</summary>
    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var tmp = full + ".tmp";
        try
        {
            using (var stream = File.Create(tmp)) write(stream);
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(tmp);
            throw new CliException($"无法写入 {path}：{e.Message}");
        }
    }
}
