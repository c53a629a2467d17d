using System.Diagnostics;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli.Tests;

/// <summary>The <c>edu</c> executable run as a separate process, as a clerk or a script would.</summary>
public class ImportCommandTests
{
    private static readonly string[] Headers = [.. Template.For(ImportEntity.Students).Columns.Select(c => c.Header)];

    private static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "edu-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edu.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "1"; // no progress bar in captured output
        return Process.Start(psi)!;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    private static string PupilLine(int i, string? gender = null)
    {
        var birth = new DateOnly(2017, 3, 1).AddDays(i % 300);
        var g = gender ?? (i % 2 == 0 ? "女" : "男");
        return $"P{i:0000000},学生{i},{g},{birth:yyyy-MM-dd},,汉族,4500000001,三年级,三({i % 40 + 1})班,2023-09,走读,否,否,否,否,否,否,无,否,东镇,在读";
    }

    private static string WriteCsv(string dir, int rows, string? lastLine = null)
    {
        var path = Path.Combine(dir, "学生.csv");
        using var w = new StreamWriter(path, false, new UTF8Encoding(true));
        w.WriteLine(string.Join(",", Headers));
        for (var i = 1; i <= rows; i++) w.WriteLine(PupilLine(i));
        if (lastLine is not null) w.WriteLine(lastLine);
        return path;
    }

    private static async Task<TestDatabase> SeededAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var ctx = db.Open();
        await TinyCounty.SeedAsync(ctx);
        return db;
    }

    /// <summary>Issue #14: while the web app's import holds SQLite's write lock, edu import gives up with a sentence, not a stack trace.</summary>
    [Fact]
    public async Task Import_WriteLockHeldByAnotherProcess_ExitsWithBusyMessageAndWritesNothing()
    {
        await using var db = await SeededAsync();
        var file = WriteCsv(TempDir(), 3);
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection(db.Options.ConnectionString);
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }

        // Without --lock-wait the import would wait as long as a job does (about 10 minutes), then say the same.
        var watch = Stopwatch.StartNew();
        var (code, _, err) = await RunAsync("import", "students", "--db", db.Options.SqliteFile!, "--year", "2025", "--file", file, "--lock-wait", "2");
        watch.Stop();
        await using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, code);
        Assert.Contains("数据库正被其他程序写入", err);
        Assert.DoesNotContain("   at ", err);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"等待了 {watch.Elapsed.TotalSeconds:0} 秒");
        await using var ctx = db.Open();
        Assert.Equal(4, await ctx.Students.CountAsync());
    }

    [Fact]
    public async Task Import_FileWithErrors_ExitsNonZeroPrintsErrorsAndWritesErrorWorkbook()
    {
        await using var db = await SeededAsync();
        var dir = TempDir();
        var file = WriteCsv(dir, 3, PupilLine(4, gender: "未知"));
        var errors = Path.Combine(dir, "errors.xlsx");

        var (code, _, err) = await RunAsync("import", "students", "--db", db.Options.SqliteFile!, "--year", "2025", "--file", file, "--errors", errors);

        Assert.Equal(1, code);
        Assert.Contains("错误：学生.csv 第5行 “性别”列不是允许的值", err);
        Assert.Contains("导入失败，未写入任何数据：错误 1 条", err);
        Assert.True(File.Exists(errors));
        await using var ctx = db.Open();
        Assert.Equal(4, await ctx.Students.CountAsync());
    }

    [Fact]
    public async Task ImportExportImport_RoundTrip_SucceedsAndFilesMatch()
    {
        await using var db = await SeededAsync();
        var dir = TempDir();
        // The two seeded pupils of 东镇小学 (G1, G2) are in the file too, so each exported row is complete.
        var file = WriteCsv(dir, 50, "G1,张一,男,2019-03-01,,汉族,4500000001,一年级,一(1)班,,走读,否,否,否,否,否,否,无,否,,在读\n"
            + "G2,张二,男,2017-03-01,,,4500000001,三年级,三(1)班,,住校,是,否,否,否,否,否,无,否,,休学");
        var a = Path.Combine(dir, "a.xlsx");
        var b = Path.Combine(dir, "b.xlsx");
        var dbFile = db.Options.SqliteFile!;

        var import1 = await RunAsync("import", "students", "--db", dbFile, "--year", "2025", "--file", file);
        var export1 = await RunAsync("export", "students", "--db", dbFile, "--year", "2025", "--out", a, "--school", "4500000001");
        var import2 = await RunAsync("import", "students", "--db", dbFile, "--year", "2025", "--file", a);
        var export2 = await RunAsync("export", "students", "--db", dbFile, "--year", "2025", "--out", b, "--school", "4500000001");

        Assert.True(import1.Code == 0, import1.Err + import1.Out);
        Assert.Contains("新增 50，更新 2", import1.Out);
        Assert.Equal(0, export1.Code);
        Assert.Contains("52 行", export1.Out);
        Assert.True(import2.Code == 0, import2.Err + import2.Out);
        Assert.Contains("新增 0，更新 0，未变化 52", import2.Out);
        Assert.Equal(0, export2.Code);
        var csvRows = File.ReadAllLines(file).Skip(1).ToHashSet();
        Assert.Equal(Rows(a), Rows(b));
        Assert.Equal(52, Rows(a).Count(r => csvRows.Contains(string.Join(",", r.Select(v => v ?? "")))));
    }

    private static List<string?[]> Rows(string path)
    {
        using var s = RowSource.Open(path);
        var list = new List<string?[]>();
        while (s.Read()) list.Add([.. Enumerable.Range(0, s.Headers.Count).Select(s.Get)]);
        return list;
    }

    [Fact]
    public async Task Template_Students_HasHeadersSampleAndDropDowns()
    {
        var path = Path.Combine(TempDir(), "t.xlsx");

        var (code, _, _) = await RunAsync("template", "students", "--out", path);

        Assert.Equal(0, code);
        using var doc = SpreadsheetDocument.Open(path, false);
        var part = doc.WorkbookPart!.WorksheetParts.First();
        var rows = part.Worksheet.Descendants<Row>().ToList();
        string Text(Cell c) => c.InlineString?.Text?.Text ?? c.CellValue?.Text ?? "";
        Assert.Equal(Headers, rows[0].Elements<Cell>().Select(Text));
        Assert.Equal("G450102201703010012", Text(rows[1].Elements<Cell>().First()));
        var validations = part.Worksheet.Descendants<DataValidation>().ToList();
        var gender = validations.Single(v => v.SequenceOfReferences!.InnerText == "C2:C1048576");
        Assert.Equal("\"男,女\"", gender.Formula1!.Text);
        Assert.Equal(Template.For(ImportEntity.Students).Columns.Count(c => c.Choices is not null), validations.Count);
        Assert.Contains(validations, v => v.Formula1!.Text.Contains("一年级"));
    }

    [Fact]
    public async Task Import_KilledWhileWriting_DatabaseUnchanged()
    {
        await using var db = await SeededAsync();
        var dir = TempDir();
        var file = WriteCsv(dir, 200_000);
        var dbFile = db.Options.SqliteFile!;
        long before;
        await using (var ctx = db.Open()) before = await ctx.Students.CountAsync();

        using var p = Start("import", "students", "--db", dbFile, "--year", "2025", "--file", file);
        // Without a terminal the CLI prints one line per phase on stderr; "写入" means the write transaction is open.
        var writing = new TaskCompletionSource();
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        p.ErrorDataReceived += (_, e) => { log.Enqueue($"{clock.ElapsedMilliseconds} {e.Data}"); if (e.Data?.StartsWith("写入", StringComparison.Ordinal) == true) writing.TrySetResult(); };
        p.BeginErrorReadLine();
        await Task.WhenAny(writing.Task, p.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
        await Task.Delay(50); // some rows into the transaction (the stderr line itself can arrive late when tests run in parallel)
        var killedMidWay = writing.Task.IsCompleted && !p.HasExited;
        p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();

        Assert.True(killedMidWay, "the import finished before it could be killed: " + string.Join(" | ", log) + $" exit {p.ExitCode}");
        await using var check = db.Open();
        Assert.Equal(before, await check.Students.CountAsync());
        Assert.Equal(0, await check.AuditLog.CountAsync(a => a.Action == "导入"));
    }
}
