using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli;

/// <summary>`edu exam create|list|import|analyse|report`: unified exams and their 质量分析.</summary>
internal static class ExamCommands
{
    public static Command Create()
    {
        var cmd = new Command("exam", "统一考试：建立考试、导入成绩、质量分析与报告");
        cmd.Subcommands.Add(CreateExam());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Import());
        cmd.Subcommands.Add(Analyse());
        cmd.Subcommands.Add(Report());
        return cmd;
    }

    private static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try { return await action(); }
        catch (ExamException e) { throw new CliException(e.Message); }
    }

    /// <summary>JSON spec for `exam create --spec`: {"name","date","year","grade","subjects":[{"name","fullMarks",…}]}.</summary>
    internal sealed record SubjectSpecJson(string Name, double FullMarks, double? Excellent = null, double? Pass = null, double? Low = null,
        double? ExcellentTop = null, bool CountsInTotal = true);

    internal sealed record ExamSpecJson(string Name, string Date, int Year, string Grade, List<SubjectSpecJson> Subjects);

    private static Command CreateExam()
    {
        var db = new DbArgs();
        var spec = new Option<FileInfo?>("--spec") { Description = "考试说明 JSON 文件（name, date, year, grade, subjects[{name, fullMarks, excellent, pass, low, excellentTop, countsInTotal}]）" };
        var name = new Option<string?>("--name") { Description = "考试名称，如 2025–2026学年第一学期期末统考" };
        var date = new Option<string?>("--date") { Description = "考试日期 YYYY-MM-DD" };
        var year = new Option<int?>("--year") { Description = "学年（2025 表示 2025–2026 学年）" };
        var grade = new Option<string?>("--grade") { Description = "年级，如 九年级" };
        var subjects = new Option<string?>("--subjects") { Description = "科目与满分：语文:120,数学:120,英语:120" };
        var excellent = new Option<double?>("--excellent") { Description = "优秀线占满分比例（默认 0.85）" };
        var pass = new Option<double?>("--pass") { Description = "及格线占满分比例（默认 0.60）" };
        var low = new Option<double?>("--low") { Description = "低分线占满分比例（默认 0.40）" };
        var excellentTop = new Option<double?>("--excellent-top") { Description = "按名次定优秀：全县前多少比例（如 0.2）" };
        var notInTotal = new Option<string?>("--not-in-total") { Description = "不计入总分的科目，逗号分隔，如 体育" };
        var cmd = new Command("create", "建立一次考试（科目、满分、分数线、计入总分的科目）");
        db.AddTo(cmd);
        foreach (var o in new Option[] { spec, name, date, year, grade, subjects, excellent, pass, low, excellentTop, notInTotal }) cmd.Options.Add(o);
        cmd.SetAction(async (r, ct) => await Run(async () =>
        {
            ExamSpecJson s;
            if (r.GetValue(spec) is { } f)
            {
                if (!f.Exists) throw new CliException($"文件“{f.FullName}”不存在");
                try
                {
                    s = JsonSerializer.Deserialize<ExamSpecJson>(await File.ReadAllTextAsync(f.FullName, ct), Output.Json)
                        ?? throw new CliException($"文件“{f.Name}”是空的");
                }
                catch (JsonException e) { throw new CliException($"文件“{f.Name}”不是有效的考试说明 JSON：{e.Message}"); }
                if (s.Subjects is null || s.Subjects.Count == 0) throw new CliException($"文件“{f.Name}”：subjects 不能为空");
            }
            else
            {
                var missing = new[] { ("--name", r.GetValue(name)), ("--date", r.GetValue(date)), ("--grade", r.GetValue(grade)), ("--subjects", r.GetValue(subjects)) }
                    .Where(x => string.IsNullOrWhiteSpace(x.Item2)).Select(x => x.Item1).ToList();
                if (r.GetValue(year) is null) missing.Add("--year");
                if (missing.Count > 0) throw new CliException($"缺少参数：{string.Join("、", missing)}（或用 --spec 指定考试说明文件）");
                var parsedSubjects = ExamStore.ParseSubjects(r.GetValue(subjects)!);
                if (parsedSubjects.Value is not { } parsed) throw new CliException(parsedSubjects.Message!);
                var excluded = (r.GetValue(notInTotal) ?? "").Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var x in excluded)
                    if (parsed.All(p => p.Name != x)) throw new CliException($"--not-in-total：“{x}”不是本次考试的科目");
                s = new ExamSpecJson(r.GetValue(name)!, r.GetValue(date)!, r.GetValue(year)!.Value, r.GetValue(grade)!,
                    [.. parsed.Select(p => new SubjectSpecJson(p.Name, p.FullMarks, r.GetValue(excellent), r.GetValue(pass), r.GetValue(low),
                        r.GetValue(excellentTop), !excluded.Contains(p.Name)))]);
            }
            if (!DateOnly.TryParse(s.Date.Replace('/', '-'), CultureInfo.InvariantCulture, out var d))
                throw new CliException($"考试日期“{s.Date}”格式不对：应为 YYYY-MM-DD");
            if (!Labels.TryParse<Grade>(s.Grade, out var g)) throw new CliException($"年级“{s.Grade}”无法识别：应为 一年级…九年级、高一…高三 等");
            var list = s.Subjects.Select((x, i) =>
            {
                if (string.IsNullOrWhiteSpace(x.Name) || x.FullMarks <= 0) throw new CliException($"第 {i + 1} 个科目：需要科目名和大于 0 的满分");
                if (x.ExcellentTop is { } top && top is <= 0 or > 1) throw new CliException($"科目“{x.Name}”：excellentTop 应在 0 到 1 之间");
                return new ExamSubject
                {
                    Name = x.Name.Trim(), FullMarks = x.FullMarks, Order = i, ExcellentFraction = x.Excellent ?? ExamSubject.DefaultExcellent,
                    PassFraction = x.Pass ?? ExamSubject.DefaultPass, LowFraction = x.Low ?? ExamSubject.DefaultLow,
                    ExcellentTopFraction = x.ExcellentTop, CountsInTotal = x.CountsInTotal,
                };
            }).ToList();
            if (list.GroupBy(x => x.Name).FirstOrDefault(x => x.Count() > 1) is { } dup) throw new CliException($"科目“{dup.Key}”重复");
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu exam");
            var created = await ExamStore.CreateAsync(ctx, s.Name, d, s.Year, g, list, ct: ct);
            if (created.Value is not { } exam) throw new CliException(created.Message!);
            Console.WriteLine($"已建立考试 {exam.Id}：{exam.Name}（{exam.Year}–{exam.Year + 1}学年 {g.Zh()}，{list.Count} 科：{string.Join("、", list.Select(x => $"{x.Name}{x.FullMarks:0.#}{(x.CountsInTotal ? "" : "（不计总分）")}"))}）");
            return 0;
        }));
        return cmd;
    }

    private static Command List()
    {
        var db = new DbArgs();
        var format = new Option<string>("--format") { Description = "text 或 json", DefaultValueFactory = _ => "text" };
        var cmd = new Command("list", "列出考试");
        db.AddTo(cmd);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu exam");
            var exams = await ctx.Set<Exam>().Include(e => e.Subjects).OrderBy(e => e.Date).ThenBy(e => e.Id).ToListAsync(ct);
            var rows = exams.Select(e => new
            {
                e.Id, e.Name, Date = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), e.Year, Grade = e.Grade.Zh(),
                Subjects = e.Subjects.OrderBy(s => s.Order).Select(s => s.Name).ToList(),
                Scores = ctx.Set<Score>().Count(s => s.ExamId == e.Id),
            }).ToList();
            if (r.GetValue(format) == "json") Output.WriteJson(rows);
            else foreach (var e in rows) Console.WriteLine($"{e.Id}\t{e.Date}\t{e.Grade}\t{e.Name}\t{string.Join("、", e.Subjects)}\t成绩 {e.Scores} 条");
            return 0;
        });
        return cmd;
    }

    private static Command Import()
    {
        var db = new DbArgs();
        var exam = new Option<int>("--exam") { Description = "考试编号", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "成绩文件 .xlsx 或 .csv（考试成绩模板）", Required = true };
        var errors = new Option<FileInfo?>("--errors") { Description = "有错误时把错误清单写成此 .xlsx 文件" };
        var cmd = new Command("import", "导入考试成绩（先全部校验，有任何错误则一条也不写入；成功则替换该考试原有成绩）");
        db.AddTo(cmd);
        cmd.Options.Add(exam);
        cmd.Options.Add(file);
        cmd.Options.Add(errors);
        cmd.SetAction(async (r, ct) => await Run(async () =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu exam");
            var outcome = await ImportScores.RunAsync(ctx, r.GetValue(exam), r.GetValue(file)!.FullName, ct);
            // No report: the file itself was refused (missing, wrong type, unreadable).
            var result = outcome.Value ?? throw new CliException(outcome.Message!);
            foreach (var w in result.Warnings.Take(20)) Console.Error.WriteLine($"提示：{w}");
            if (result.Warnings.Count > 20) Console.Error.WriteLine($"提示：另有 {result.Warnings.Count - 20} 条提示未显示");
            if (!outcome.Succeeded)
            {
                foreach (var e in result.Errors.Take(50)) Console.Error.WriteLine($"错误：{e}");
                if (r.GetValue(errors) is { } ef)
                {
                    ImportScores.WriteErrorWorkbook(ef.FullName, result.Errors);
                    Console.Error.WriteLine($"错误清单已写入 {ef.FullName}");
                }
                throw new CliException($"成绩文件有 {result.Errors.Count}{(result.Errors.Count >= ImportScores.MaxErrors ? "+" : "")} 处错误，未导入任何成绩");
            }
            Console.WriteLine($"已导入 {result.Rows} 名学生的 {result.Scores} 条成绩（用时 {result.Elapsed.TotalSeconds:0.0} 秒）");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Options shared by analyse and report: the exam, --vs, the 临界生 line and the score bands.</summary>
    private sealed class ReportArgs
    {
        public readonly Option<int> Exam = new("--exam") { Description = "考试编号", Required = true };
        public readonly Option<int?> Vs = new("--vs") { Description = "参照考试编号（计算增值）" };
        public readonly Option<double?> Line = new("--critical-line") { Description = "临界生分数线（总分）；默认为全县总分中位数（按普职比 5:5 估计的普高线）" };
        public readonly Option<double> Within = new("--critical-within") { Description = "临界生：分数线上下多少分以内（默认 10）", DefaultValueFactory = _ => 10 };
        public readonly Option<int?> Rank = new("--critical-rank") { Description = "按名次定临界生：全县第 N 名为线（如普高计划数），代替分数线" };
        public readonly Option<int> WithinRanks = new("--critical-within-ranks") { Description = "临界生：名次线上下多少名以内（默认 50）", DefaultValueFactory = _ => 50 };
        public readonly Option<double?> BandPoints = new("--band-points") { Description = "各科分数段宽度（分），如 10；默认满分的 10%" };
        public readonly Option<double?> TotalBandPoints = new("--total-band-points") { Description = "总分分数段宽度（分），如 50；默认满分的 10%" };

        public ReportArgs(Command cmd)
        {
            foreach (var o in new Option[] { Exam, Vs, Line, Within, Rank, WithinRanks, BandPoints, TotalBandPoints }) cmd.Options.Add(o);
        }

        public Task<ExamReport> BuildAsync(ParseResult r, Core.Data.EduDbContext ctx, CancellationToken ct)
        {
            foreach (var (name, v) in new[] { ("--band-points", r.GetValue(BandPoints)), ("--total-band-points", r.GetValue(TotalBandPoints)) })
                if (v is <= 0) throw new CliException($"{name} 应大于 0");
            if (r.GetValue(Within) < 0) throw new CliException("--critical-within 不能为负数");
            var critical = new CriticalOptions(r.GetValue(Line), r.GetValue(Within), LineRank: r.GetValue(Rank), WithinRanks: r.GetValue(WithinRanks));
            var analysis = new AnalysisOptions { BandPoints = r.GetValue(BandPoints), TotalBandPoints = r.GetValue(TotalBandPoints) };
            return ExamReport.BuildAsync(ctx, r.GetValue(Exam), r.GetValue(Vs), critical, ct, analysis);
        }
    }

    private static Command Analyse()
    {
        var db = new DbArgs();
        var cmd = new Command("analyse", "质量分析：一分三率等，按层级输出（JSON、xlsx 或 docx）");
        cmd.Aliases.Add("analyze");
        db.AddTo(cmd);
        var args = new ReportArgs(cmd);
        var level = new Option<string?>("--level") { Description = "层级：county、township、urbanRural、school、class、teacher（默认全部）" };
        level.Aliases.Add("--by");
        var format = new Option<string>("--format") { Description = "json、xlsx 或 docx", DefaultValueFactory = _ => "json" };
        var output = new Option<FileInfo?>("--out") { Description = "xlsx/docx 输出文件" };
        cmd.Options.Add(level);
        cmd.Options.Add(format);
        cmd.Options.Add(output);
        cmd.SetAction(async (r, ct) => await Run(async () =>
        {
            ExamLevel? lv = null;
            if (r.GetValue(level) is { } text)
            {
                if (!ExamReport.TryParseLevel(text, out var l)) throw new CliException($"--level“{text}”无法识别：应为 county、township、urbanRural、school、class 或 teacher");
                lv = l;
            }
            var fmt = r.GetValue(format)!.ToLowerInvariant();
            if (fmt is not ("json" or "xlsx" or "docx")) throw new CliException($"--format“{fmt}”无法识别：应为 json、xlsx 或 docx");
            if (fmt != "json" && r.GetValue(output) is null) throw new CliException($"--format {fmt} 需要用 --out 指定输出文件");
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu exam");
            var report = await args.BuildAsync(r, ctx, ct);
            switch (fmt)
            {
                case "json":
                    Output.WriteJson(report.JsonRows(lv));
                    break;
                case "xlsx":
                    ExamWorkbook.Write(report, r.GetValue(output)!.FullName);
                    Console.WriteLine($"已生成 {r.GetValue(output)!.FullName}");
                    break;
                default:
                    foreach (var w in ExamDocx.Write(report, r.GetValue(output)!.FullName)) Console.Error.WriteLine($"警告：{w}");
                    Console.WriteLine($"已生成 {r.GetValue(output)!.FullName}");
                    break;
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Report()
    {
        var db = new DbArgs();
        var cmd = new Command("report", "生成质量分析报告：Excel 分层报表和 Word 县域质量分析报告");
        db.AddTo(cmd);
        var args = new ReportArgs(cmd);
        var xlsx = new Option<FileInfo?>("--xlsx") { Description = "Excel 报表输出文件" };
        var docx = new Option<FileInfo?>("--docx") { Description = "Word 报告输出文件" };
        cmd.Options.Add(xlsx);
        cmd.Options.Add(docx);
        cmd.SetAction(async (r, ct) => await Run(async () =>
        {
            if (r.GetValue(xlsx) is null && r.GetValue(docx) is null) throw new CliException("请用 --xlsx 和/或 --docx 指定输出文件");
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu exam");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var report = await args.BuildAsync(r, ctx, ct);
            var analysed = sw.Elapsed;
            if (r.GetValue(xlsx) is { } x)
            {
                ExamWorkbook.Write(report, x.FullName);
                Console.WriteLine($"已生成 {x.FullName}");
            }
            if (r.GetValue(docx) is { } d)
            {
                foreach (var w in ExamDocx.Write(report, d.FullName)) Console.Error.WriteLine($"警告：{w}");
                Console.WriteLine($"已生成 {d.FullName}");
            }
            Console.Error.WriteLine($"用时：读取与分析 {analysed.TotalSeconds:0.00} 秒，合计 {sw.Elapsed.TotalSeconds:0.00} 秒（{report.Result.Data.PupilCount} 名学生 × {report.Result.Data.SubjectCount} 科）");
            return 0;
        }));
        return cmd;
    }
}
