using System.CommandLine;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using Spectre.Console;

namespace EduBureau.Cli;

/// <summary><c>edu import</c>, <c>edu export</c>, <c>edu template</c>: the Excel/CSV exchange formats of docs/templates.md.</summary>
internal static class ImportCommands
{
    private const string Entities = "schools|students|staff|conditions|population|history|teaching|units";

    public static IEnumerable<Command> Create() => [Import(), Export(), TemplateCommand()];

    /// <summary>--year is required except for the 单位 tree, which has no school year.</summary>
    private static int YearOf(ParseResult r, Option<int> year, ImportEntity e) =>
        r.GetResult(year) is not null ? r.GetValue(year) : e == ImportEntity.Units ? 0 : throw new CliException("缺少必填选项 --year（学年，如 2025）");

    private static ImportEntity ParseEntity(string? text) =>
        text is not null && Template.TryParse(text, out var e) ? e : throw new CliException($"未知的数据类型“{text}”：应为 {Entities}");

    private static Command Import()
    {
        var db = new DbArgs();
        var entity = new Argument<string>("entity") { Description = Entities };
        var year = new Option<int>("--year") { Description = "学年（如 2025 表示 2025–2026 学年；units 不需要）" };
        var file = new Option<string>("--file") { Description = ".xlsx 工作簿或 UTF-8 CSV 文件", Required = true };
        var mode = new Option<string>("--mode") { Description = "upsert（默认：新增并更新）或 replace（以文件为准替换该学年名单）", DefaultValueFactory = _ => "upsert" };
        var errors = new Option<string?>("--errors") { Description = "有错误时把错误清单写到此 .xlsx 文件" };
        var json = new Option<bool>("--json") { Description = "以 JSON 输出结果" };
        var cmd = new Command("import", "导入单位、学校、学生、教职工、办学条件、适龄人口或历年在校生（全部通过检查才写入）");
        cmd.Arguments.Add(entity);
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(file);
        cmd.Options.Add(mode);
        cmd.Options.Add(errors);
        cmd.Options.Add(json);
        cmd.SetAction(async (r, ct) =>
        {
            var e = ParseEntity(r.GetValue(entity));
            var m = r.GetValue(mode)?.ToLowerInvariant() switch
            {
                "upsert" or null => ImportMode.Upsert,
                "replace" => ImportMode.Replace,
                var other => throw new CliException($"未知的导入方式“{other}”：应为 upsert 或 replace"),
            };
            var options = new ImportOptions(e, YearOf(r, year, e), m) { ErrorWorkbookPath = r.GetValue(errors) };
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu import");
            var path = r.GetValue(file)!;
            var result = await RunWithProgressAsync(ctx, path, options, ct);
            Report(result, r.GetValue(json));
            return result.Success ? 0 : 1;
        });
        return cmd;
    }

    internal static async Task<ImportResult> RunWithProgressAsync(EduDbContext ctx, string path, ImportOptions options, CancellationToken ct)
    {
        if (!Output.Interactive)
        {
            // No bar when piped or in CI: one line per phase on stderr (stdout stays clean for --json).
            string? phase = null;
            return await Importer.RunAsync(ctx, path, options, new SyncProgress<ImportProgress>(x =>
            {
                if (x.Phase == phase) return;
                phase = x.Phase;
                Console.Error.WriteLine($"{x.Phase}……（已处理 {x.Rows:N0} 行）");
            }), ct);
        }
        ImportResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async p =>
            {
                var task = p.AddTask("检查", maxValue: 1000);
                var progress = new SyncProgress<ImportProgress>(x =>
                {
                    task.Description = $"{x.Phase} {x.Rows:N0} 行";
                    task.Value = x.Fraction * 1000;
                });
                result = await Importer.RunAsync(ctx, path, options, progress, ct);
                task.Value = 1000;
            });
        return result!;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and lag behind).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static void Report(ImportResult result, bool json)
    {
        if (json)
        {
            Output.WriteJson(new
            {
                code = result.FileError is not null ? "file_error" : result.Success ? "ok" : "validation_failed",
                entity = result.Entity.ToString().ToLowerInvariant(), success = result.Success, message = result.Summary, rows = result.Rows,
                inserted = result.Inserted, updated = result.Updated, unchanged = result.Unchanged, yearsCreated = result.YearsCreated, removed = result.Removed, statusEvents = result.StatusEvents, errors = result.Issues.Errors,
                warnings = result.Issues.Warnings, errorWorkbook = result.ErrorWorkbook, seconds = result.Elapsed.TotalSeconds,
                issues = result.Issues.First.Take(100).Select(i => new
                {
                    level = i.Level == IssueLevel.Error ? "error" : "warning", sheet = i.Sheet, row = i.Row, column = i.Column, value = i.Value, message = i.Message,
                }),
            });
            return;
        }
        var w = result.Success ? Console.Out : Console.Error;
        foreach (var i in result.Issues.First.Where(i => i.Level == IssueLevel.Error).Take(20)) w.WriteLine(i.ToString());
        foreach (var i in result.Issues.First.Where(i => i.Level == IssueLevel.Warning).Take(result.Success ? 10 : 5)) w.WriteLine(i.ToString());
        if (result.Issues.Errors + result.Issues.Warnings > 25) w.WriteLine($"……共 {result.Issues.Errors} 条错误、{result.Issues.Warnings} 条警告");
        w.WriteLine(result.Summary);
        if (result.ErrorWorkbook is not null) w.WriteLine($"错误清单：{result.ErrorWorkbook}");
        w.WriteLine($"用时 {result.Elapsed.TotalSeconds:0.0} 秒");
    }

    private static Command Export()
    {
        var db = new DbArgs();
        var entity = new Argument<string>("entity") { Description = Entities };
        var year = new Option<int>("--year") { Description = "学年（units 不需要）" };
        var output = new Option<string>("--out") { Description = "输出 .xlsx 文件", Required = true };
        var school = new Option<string?>("--school") { Description = "只导出这所学校（学校标识码）" };
        var cmd = new Command("export", "按导入模板的表头导出 .xlsx（可原样再导入）");
        cmd.Arguments.Add(entity);
        db.AddTo(cmd);
        cmd.Options.Add(year);
        cmd.Options.Add(output);
        cmd.Options.Add(school);
        cmd.SetAction(async (r, ct) =>
        {
            var e = ParseEntity(r.GetValue(entity));
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu import");
            var code = r.GetValue(school);
            if (code is not null && !ctx.Schools.Any(s => s.Code == code)) throw new CliException($"学校标识码“{code}”不存在");
            var path = r.GetValue(output)!;
            int n;
            await using (var f = File.Create(path))
                n = await ExportRoster.WriteAsync(ctx, e, YearOf(r, year, e), f, code, ct: ct);
            Console.WriteLine($"已导出 {Template.For(e).Name} {n} 行到 {path}");
            return 0;
        });
        return cmd;
    }

    private static Command TemplateCommand()
    {
        var entity = new Argument<string>("entity") { Description = Entities };
        var output = new Option<string>("--out") { Description = "输出 .xlsx 文件", Required = true };
        var cmd = new Command("template", "生成空白导入模板（表头、示例行、下拉选项）");
        cmd.Arguments.Add(entity);
        cmd.Options.Add(output);
        cmd.SetAction(r =>
        {
            var e = ParseEntity(r.GetValue(entity));
            var path = r.GetValue(output)!;
            using (var f = File.Create(path)) ExportRoster.WriteTemplate(e, f);
            Console.WriteLine($"已生成{Template.For(e).Name}模板：{path}");
            return 0;
        });
        return cmd;
    }
}
