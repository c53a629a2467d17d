using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EduBureau.Cli;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Exams;
using EduBureau.Core.Figures;
using EduBureau.Core.Organization;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Bench;

/// <summary>
/// <c>exam</c>: a synthetic county of N 九年级 pupils in 40 schools, one exam of S subjects; times writing the
/// score file, its import (full validation, all or nothing), loading + the full analysis (all levels), and the same
/// 一分三率 by one SQL GROUP BY per school and subject (the database floor). Prints figures and peak memory.
/// </summary>
internal static class ExamBench
{
    public static Command Create()
    {
        var db = new Option<string?>("--db") { Description = "SQLite 文件（默认临时文件，结束后删除）" };
        var pupils = new Option<int>("--pupils") { Description = "学生数（默认 100000）", DefaultValueFactory = _ => 100_000 };
        var subjects = new Option<int>("--subjects") { Description = "科目数（默认 10）", DefaultValueFactory = _ => 10 };
        var cmd = new Command("exam", "考试成绩导入与质量分析基准：默认 10 万学生 × 10 科 = 100 万条成绩，对比一条 SQL GROUP BY");
        cmd.Options.Add(db);
        cmd.Options.Add(pupils);
        cmd.Options.Add(subjects);
        cmd.SetAction(async (r, ct) =>
        {
            int n = r.GetValue(pupils), s = r.GetValue(subjects);
            if (n < 10 || s < 1 || s > 20) throw new CliException("--pupils 至少 10，--subjects 在 1 到 20 之间");
            var file = r.GetValue(db) ?? Path.Combine(Path.GetTempPath(), $"edu-bench-exam-{Guid.NewGuid():N}.db");
            var temp = r.GetValue(db) is null;
            try { await RunAsync(DatabaseOptions.ForSqliteFile(file), n, s, ct); }
            finally
            {
                if (temp) foreach (var f in new[] { file, file + "-wal", file + "-shm" }) if (File.Exists(f)) File.Delete(f);
            }
            return 0;
        });
        return cmd;
    }

    private static async Task RunAsync(DatabaseOptions options, int n, int s, CancellationToken ct)
    {
        const int year = 2026, schoolCount = 40;
        await Database.MigrateAsync(options, ct);
        var sw = Stopwatch.StartNew();
        var codes = new List<(int Id, string Code)>();
        int countyId;
        await using (var ctx = Database.OpenSystem(options, "bench"))
        {
            ctx.SchoolYears.Add(SchoolYear.For(year));
            var county = await Unit(ctx, null, OrgUnitKind.County, "基准县", "139901");
            countyId = county.Id;
            var towns = new List<OrgUnit>();
            for (var t = 0; t < 8; t++) towns.Add(await Unit(ctx, county, OrgUnitKind.Township, $"第{t + 1}镇", $"1399{t + 10:00}"));
            for (var i = 0; i < schoolCount; i++)
            {
                var town = towns[i % towns.Count];
                var code = $"39{i + 1:00000000}";
                var u = await Unit(ctx, town, OrgUnitKind.School, $"第{i + 1}中学", code);
                ctx.Schools.Add(new School
                {
                    Id = u.Id, Code = code, Name = u.Name, Level = SchoolLevel.Junior, Ownership = Ownership.Public,
                    UrbanRural = i < 8 ? UrbanRural.Urban : i < 20 ? UrbanRural.Town : UrbanRural.Rural, TownshipId = town.Id, CountyId = county.Id, Path = u.Path,
                });
                codes.Add((u.Id, code));
            }
            await ctx.SaveChangesAsync(ct);
        }
        await using (var writer = await BulkWriter.OpenAsync(options, ct))
        {
            var sid = await writer.NextIdAsync<Student>(ct);
            var eid = await writer.NextIdAsync<Enrollment>(ct);
            await writer.WriteAsync(Enumerable.Range(0, n).Select(i => new Student
            {
                Id = sid + i, StudentNo = $"B{i:0000000}", Name = $"学生{i}", Gender = (Gender)(1 + i % 2), BirthDate = new DateOnly(2011, 1 + i % 12, 1), CountyId = countyId,
            }), ct);
            await writer.WriteAsync(Enumerable.Range(0, n).Select(i => new Enrollment
            {
                Id = eid + i, StudentId = sid + i, Year = year, SchoolId = codes[i % schoolCount].Id, Grade = Grade.G9, CountyId = countyId,
            }), ct);
        }
        var seed = sw.Elapsed;

        // The score file: one row per pupil, one column per subject (full marks 100); ~1 % 缺考.
        sw.Restart();
        var names = Enumerable.Range(0, s).Select(j => $"科目{j + 1}").ToList();
        var csv = Path.Combine(Path.GetTempPath(), $"edu-bench-exam-{Guid.NewGuid():N}.csv");
        var rng = new Random(2026);
        await using (var w = new StreamWriter(csv, false, new UTF8Encoding(false)))
        {
            await w.WriteLineAsync("学籍号,姓名,学校标识码,班级," + string.Join(",", names));
            var line = new StringBuilder();
            for (var i = 0; i < n; i++)
            {
                line.Clear().Append("B").Append(i.ToString("0000000", CultureInfo.InvariantCulture)).Append(",学生").Append(i)
                    .Append(',').Append(codes[i % schoolCount].Code).Append(',').Append(1 + i / schoolCount % 12).Append("班");
                var ability = rng.NextDouble() * 2 - 1 + (i % schoolCount) / (double)schoolCount * 0.5;
                for (var j = 0; j < s; j++)
                {
                    line.Append(',');
                    if (rng.NextDouble() < 0.01) line.Append("缺考");
                    else line.Append(Math.Clamp(Math.Round(65 + 18 * ability + 12 * (rng.NextDouble() * 2 - 1)), 0, 100).ToString(CultureInfo.InvariantCulture));
                }
                await w.WriteLineAsync(line.ToString());
            }
        }
        var fileTime = sw.Elapsed;

        int examId;
        await using (var ctx = Database.OpenSystem(options, "bench"))
            examId = (await ExamStore.CreateAsync(ctx, "基准考试", new DateOnly(2027, 1, 15), year, Grade.G9,
                [.. names.Select((x, j) => new ExamSubject { Name = x, FullMarks = 100, Order = j })], ct: ct)).ValueOrThrow().Id;

        sw.Restart();
        Result<ScoreImport> imported;
        await using (var ctx = Database.OpenSystem(options, "bench")) imported = await ImportScores.RunAsync(ctx, examId, csv, ct);
        var importTime = sw.Elapsed;
        File.Delete(csv);
        if (!imported.Succeeded) throw new CliException("基准成绩导入失败：" + string.Join("；", imported.Problems().Take(3)));

        sw.Restart();
        ExamData data;
        await using (var ctx = Database.OpenSystem(options, "bench")) (_, data) = await ExamStore.LoadAsync(ctx, examId, ct: ct);
        var loadTime = sw.Elapsed;
        sw.Restart();
        var result = ExamAnalysis.Analyze(data);
        var analyseTime = sw.Elapsed;

        // What the web app does (ADR 0012): the scores are loaded once per change of the data and stored (exam-data);
        // a page reads the stored row and analyses. Timed with a fresh store, as after a restart (no copy in memory).
        sw.Restart();
        await new FigureStore(options).RecomputeAsync(ExamFigures.Data, examId, "bench", ct);
        var storeTime = sw.Elapsed;
        sw.Restart();
        ExamData stored;
        await using (var ctx = Database.OpenSystem(options, "bench")) stored = (await new FigureStore(options).GetAsync(ExamFigures.Data, examId, ctx, ct)).Value;
        var storedLoadTime = sw.Elapsed;
        sw.Restart();
        var storedResult = ExamAnalysis.Analyze(stored);
        var storedAnalyseTime = sw.Elapsed;
        if (storedResult.Rows.Count != result.Rows.Count) throw new CliException("从保存的成绩数据分析的结果与直接读取的不一致");

        // The floor: 一分三率 per school and subject in one GROUP BY (no median, SD, bands, other levels …).
        sw.Restart();
        var sqlRows = 0;
        var sql = new Dictionary<(int School, int Subject), (long Sat, double Mean, long Pass, long Excellent, long Low)>();
        await using (var ctx = Database.OpenSystem(options, "bench"))
        {
            var conn = ctx.Database.GetDbConnection();
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                SELECT sc."SchoolId", sc."SubjectId", COUNT(sc."Value"), AVG(sc."Value"),
                       SUM(CASE WHEN sc."Value" >= su."PassFraction" * su."FullMarks" THEN 1 ELSE 0 END),
                       SUM(CASE WHEN sc."Value" >= su."ExcellentFraction" * su."FullMarks" THEN 1 ELSE 0 END),
                       SUM(CASE WHEN sc."Value" < su."LowFraction" * su."FullMarks" THEN 1 ELSE 0 END),
                       SUM(CASE WHEN sc."Flag" = 1 THEN 1 ELSE 0 END)
                FROM "ExamScores" sc JOIN "ExamSubjects" su ON su."Id" = sc."SubjectId"
                WHERE sc."ExamId" = @e GROUP BY sc."SchoolId", sc."SubjectId"
                """;
            var p = cmd.CreateParameter(); p.ParameterName = "@e"; p.Value = examId; cmd.Parameters.Add(p);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                sqlRows++;
                sql[(reader.GetInt32(0), reader.GetInt32(1))] = (reader.GetInt64(2), reader.GetDouble(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
            }
        }
        var sqlTime = sw.Elapsed;
        // Both must agree on the 一分三率 of every school and subject.
        int[] subjectIds;
        await using (var ctx = Database.OpenSystem(options, "bench"))
            subjectIds = [.. (await ExamStore.GetAsync(ctx, examId, ct)).Subjects.OrderBy(x => x.Order).Select(x => x.Id)];
        var mismatches = result.Level(ExamLevel.School).Where(x => x.SubjectIndex < s).Count(x =>
            !sql.TryGetValue((data.Schools[x.UnitIndex].SchoolId!.Value, subjectIds[x.SubjectIndex]), out var q) || q.Sat != x.Sat
            || Math.Abs(q.Mean - x.Mean!.Value) > 1e-6 || Math.Abs(100.0 * q.Pass / q.Sat - x.PassRate!.Value) > 1e-9
            || Math.Abs(100.0 * q.Excellent / q.Sat - x.ExcellentRate!.Value) > 1e-9 || Math.Abs(100.0 * q.Low / q.Sat - x.LowRate!.Value) > 1e-9);
        using var self = Process.GetCurrentProcess();
        self.Refresh();

        Console.WriteLine($"考试基准（SQLite）：{n:N0} 名学生 × {s} 科 = {imported.Value!.Scores:N0} 条成绩，{schoolCount} 所学校");
        Console.WriteLine($"  建库（学生与学籍，不计）      {seed.TotalSeconds,8:F1} 秒");
        Console.WriteLine($"  写成绩 CSV                    {fileTime.TotalSeconds,8:F1} 秒");
        Console.WriteLine($"  导入（校验 + 写入）           {importTime.TotalSeconds,8:F1} 秒  {imported.Value!.Scores / importTime.TotalSeconds,10:N0} 条/秒");
        Console.WriteLine($"  读入内存                      {loadTime.TotalSeconds,8:F1} 秒");
        Console.WriteLine($"  全部分析（6 层 × {s + 1} 科，{result.Rows.Count:N0} 行） {analyseTime.TotalSeconds,8:F1} 秒");
        Console.WriteLine($"  SQL GROUP BY 一分三率（学校×科目，{sqlRows} 行） {sqlTime.TotalSeconds,8:F1} 秒");
        Console.WriteLine($"  与 SQL 结果核对（学校×科目一分三率）：{(mismatches == 0 ? "全部一致" : $"{mismatches} 处不一致")}");
        Console.WriteLine($"  读入+分析 / SQL 下限          {(loadTime + analyseTime).TotalSeconds / sqlTime.TotalSeconds,8:F1} 倍");
        Console.WriteLine($"  网页的做法：成绩变更后保存一次 {storeTime.TotalSeconds,8:F1} 秒（读入、压缩、写入 StoredFigures）");
        Console.WriteLine($"  读保存的成绩数据                {storedLoadTime.TotalSeconds,8:F2} 秒；分析 {storedAnalyseTime.TotalSeconds:F2} 秒");
        Console.WriteLine($"  读保存的+分析 / SQL 下限      {(storedLoadTime + storedAnalyseTime).TotalSeconds / sqlTime.TotalSeconds,8:F2} 倍（#16 目标 ≤ 1 倍：{((storedLoadTime + storedAnalyseTime) <= sqlTime ? "达到" : "未达到")}）");
        Console.WriteLine($"  峰值工作集                    {self.PeakWorkingSet64 / 1048576.0,8:F0} MB");
    }

    private static async Task<OrgUnit> Unit(EduDbContext ctx, OrgUnit? parent, OrgUnitKind kind, string name, string code)
    {
        var u = new OrgUnit { Name = name, Kind = kind, Code = code };
        ctx.OrgUnits.Add(u);
        await ctx.SaveChangesAsync();
        u.PlaceUnder(parent);
        await ctx.SaveChangesAsync();
        return u;
    }
}
