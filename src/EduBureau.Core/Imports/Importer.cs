using System.Diagnostics;
using System.Text.Json;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EduBureau.Core.Imports;

public sealed record ImportOptions(ImportEntity Entity, int Year, ImportMode Mode = ImportMode.Upsert)
{
    /// <summary>Where to write the error workbook when the file has errors (null: none).</summary>
    public string? ErrorWorkbookPath { get; init; }
    /// <summary>File name shown in messages (the upload's name in the web app).</summary>
    public string? DisplayName { get; init; }
    /// <summary>SQLite student import: from how many rows a write that at least doubles a table defers its non-unique indexes (tests lower it).</summary>
    internal int DeferIndexesFromRows { get; init; } = 10_000;
}

public sealed record ImportProgress(string Phase, long Rows, double Fraction);

public sealed class ImportResult
{
    public required ImportEntity Entity { get; init; }
    public bool Success { get; set; }
    /// <summary>The file could not be read at all (not a workbook, encrypted …): a Chinese message.</summary>
    public string? FileError { get; set; }
    public int Rows { get; set; }
    public int Inserted { get; set; }
    /// <summary>Rows whose key exists and at least one imported value differs from what was stored (written).</summary>
    public int Updated { get; set; }
    /// <summary>Rows whose key exists and whose every imported value equals what is stored (not written at all).</summary>
    public int Unchanged { get; set; }
    /// <summary>School years this import created (<c>SchoolYears</c> rows that did not exist), so they can be chosen.</summary>
    public IReadOnlyList<int> YearsCreated { get; set; } = [];
    /// <summary>Replace mode: pupils recorded as 转出 (students) or assignments removed (staff).</summary>
    public int Removed { get; set; }
    /// <summary>Students: entries added to the status history (school moves and changes of 学籍状态 by this file).</summary>
    public int StatusEvents { get; set; }
    public IssueLog Issues { get; } = new();
    public string? ErrorWorkbook { get; set; }
    public TimeSpan Elapsed { get; set; }
    /// <summary>Time spent reading and checking every row (pass 1); the rest of <see cref="Elapsed"/> is writing.</summary>
    public TimeSpan CheckElapsed { get; set; }

    /// <summary>A one-line Chinese summary for the CLI and the result page.</summary>
    public string Summary => FileError is not null ? FileError
        : Success ? $"导入成功：共 {Rows} 行，新增 {Inserted}，更新 {Updated}，未变化 {Unchanged}{(Removed > 0 ? $"，转出/移除 {Removed}" : "")}{(StatusEvents > 0 ? $"，记录学籍变动 {StatusEvents} 条" : "")}{(YearsCreated.Count > 0 ? $"，新建学年 {string.Join("、", YearsCreated)}" : "")}；警告 {Issues.Warnings} 条"
        : $"导入失败，未写入任何数据：错误 {Issues.Errors} 条，警告 {Issues.Warnings} 条";
}

/// <summary>
/// Runs one import. Every row is checked; with any error nothing is written and an error workbook (the original
/// rows + 错误 column + 汇总 sheet) is produced instead. On SQLite the student roster is checked and written in one
/// read of the file (<see cref="ISinglePassImport"/>: rows that pass go to a writer thread, inside a transaction
/// that is rolled back at the first error while the check goes on to the end). Elsewhere two passes: check every
/// row, then read the file again and write it in one transaction.
/// </summary>
public static class Importer
{
    public static async Task<ImportResult> RunAsync(EduDbContext db, string path, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var run = new Run(db, path, options.DisplayName ?? Path.GetFileName(path), options, Template.For(options.Entity),
            new ImportResult { Entity = options.Entity }, progress, watch, ct);
        var result = run.Result;
        try
        {
            if (!db.Scope.CanWrite) throw new ImportFileException("当前角色为只读，不能导入数据");
            await using var handler = EntityHandler.Create(options.Entity, db, options);
            // Before reading a row: a roster of a year not yet opened is refused as a whole (only 局管理员 opens years).
            if (await Years.NewYearRule.RefusalAsync(db, handler.YearsWritten, ct) is { } newYear) throw new ImportFileException(newYear);
            if (handler is ISinglePassImport single && db.Database.IsSqlite()) await SinglePassAsync(run, handler, single);
            else await TwoPassAsync(run, handler);

            if (result.Issues.HasErrors)
            {
                if (options.ErrorWorkbookPath is { } errorPath)
                {
                    progress?.Report(new ImportProgress("生成错误清单", result.Rows, 0.5));
                    ErrorWorkbook.Write(path, run.Name, errorPath, run.Template, result);
                    result.ErrorWorkbook = errorPath;
                }
                return result;
            }
            result.Success = true;
            progress?.Report(new ImportProgress("完成", result.Rows, 1));
            return result;
        }
        catch (ImportFileException e)
        {
            result.FileError = e.Message;
            result.Success = false;
            return result;
        }
        finally
        {
            result.Elapsed = watch.Elapsed;
        }
    }

    private sealed record Run(EduDbContext Db, string Path, string Name, ImportOptions Options, Template Template, ImportResult Result,
        IProgress<ImportProgress>? Progress, Stopwatch Watch, CancellationToken Ct)
    {
        public void Report(string phase, long rows, RowSource source, double from, double span)
        {
            if ((rows & 0x3FFF) != 0) return;
            Ct.ThrowIfCancellationRequested();
            Progress?.Report(new ImportProgress(phase, rows, from + Fraction(source) * span));
        }
    }

    /// <summary>Check everything (streaming), then, only without errors, read the file again and write it in one transaction.</summary>
    private static async Task TwoPassAsync(Run run, EntityHandler handler)
    {
        var (result, ct) = (run.Result, run.Ct);
        int[] map;
        using (var source = RowSource.Open(run.Path, run.Name))
        {
            map = MapHeaders(source, run.Template, result.Issues);
            if (result.Issues.HasErrors) return;
            await handler.PrepareAsync(ct);
            var reader = new RowReader(source, map, run.Template, result.Issues);
            while (source.Read())
            {
                reader.Next();
                handler.Validate(reader);
                run.Report("检查", ++result.Rows, source, 0, 0.5);
            }
            EndOfRows(result, source);
            handler.AfterValidation(result.Issues);
        }
        result.CheckElapsed = run.Watch.Elapsed;
        if (result.Issues.HasErrors) return;

        await InWriteConnectionAsync(run.Db, async () =>
        {
            await using var tx = await run.Db.Database.BeginTransactionAsync(ct);
            using var source = RowSource.Open(run.Path, run.Name);
            var reader = new RowReader(source, map, run.Template, new IssueLog { Muted = true });
            await handler.BeginWriteAsync(tx.GetDbTransaction(), ct);
            long rows = 0;
            while (source.Read())
            {
                reader.Next();
                await handler.WriteAsync(reader, ct);
                run.Report("写入", ++rows, source, 0.5, 0.5);
            }
            await CommitAsync(run, handler, tx, ct);
        }, ct);
    }

    /// <summary>
    /// One read of the file: each row is checked on this thread and, while the file has no error, handed to a writer
    /// thread inside the transaction; the first error stops the writer and the check goes on (so the error workbook
    /// lists everything), and the transaction is rolled back. Reading and writing overlap on two cores, and the file
    /// is parsed once instead of twice.
    /// </summary>
    private static async Task SinglePassAsync(Run run, EntityHandler handler, ISinglePassImport single)
    {
        var (result, ct) = (run.Result, run.Ct);
        await InWriteConnectionAsync(run.Db, async () =>
        {
            // The transaction (SQLite takes the write lock at BEGIN) covers the lookups too, so nothing can change
            // the pupils the check compares against before its rows are written.
            await using var tx = await run.Db.Database.BeginTransactionAsync(ct);
            using var source = RowSource.Open(run.Path, run.Name);
            var map = MapHeaders(source, run.Template, result.Issues);
            if (result.Issues.HasErrors) return;
            await handler.PrepareAsync(ct);
            await using var pipe = new RowPipe(single, tx.GetDbTransaction(), ct);
            using var ahead = new PrefetchRowSource(source);
            var reader = new RowReader(ahead, map, run.Template, result.Issues);
            while (ahead.Read())
            {
                reader.Next();
                var row = single.Check(reader);
                result.Rows++;
                if (result.Issues.HasErrors) pipe.Stop();
                else await pipe.AddAsync(row!);
                if (result.Rows == RowPipe.StartAfter)
                {
                    // Enough rows to estimate the file's size: the check tables are sized once, the writer starts.
                    var expected = EstimateRows(result.Rows, ahead);
                    single.ExpectRows(expected);
                    pipe.Start(expected);
                }
                run.Report("检查并写入", result.Rows, ahead, 0, 0.9);
            }
            EndOfRows(result, ahead);
            handler.AfterValidation(result.Issues);
            result.CheckElapsed = run.Watch.Elapsed;
            if (result.Issues.HasErrors) return; // the pipe stops its writer and the transaction rolls back
            run.Progress?.Report(new ImportProgress("写入", result.Rows, 0.9));
            await pipe.CompleteAsync(result.Rows);
            await CommitAsync(run, handler, tx, ct);
        }, ct);
    }

    /// <summary>Rows in the whole file, from the rows and bytes read so far (exact once the file has been read).</summary>
    private static long EstimateRows(long rows, RowSource source) =>
        source.Position > 0 && source.Length > source.Position ? (long)(rows * ((double)source.Length / source.Position)) : rows;

    private static void EndOfRows(ImportResult result, RowSource source)
    {
        if (result.Rows == 0)
            result.Issues.Add(new ImportIssue(IssueLevel.Error, source.SheetName, 0, "", null, "文件中只有表头，没有数据行"));
    }

    /// <summary>
    /// SQLite's default 2 MB page cache made a million-row insert spill index pages to the WAL again and again, and
    /// the deferred indexes are rebuilt by sorting in that cache: 32 MB for the write, then it is given back. (64 MB
    /// halved the write time when indexes were kept live; with them deferred, 32 MB is as fast and 30 MB lighter.)
    /// </summary>
    private static async Task InWriteConnectionAsync(EduDbContext db, Func<Task> write, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var sqlite = db.Database.IsSqlite();
        if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -32768", ct);
        try
        {
            await write();
        }
        finally
        {
            if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000; PRAGMA shrink_memory;", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task CommitAsync(Run run, EntityHandler handler, IDbContextTransaction tx, CancellationToken ct)
    {
        var result = run.Result;
        await handler.EndWriteAsync(result, ct);
        result.Inserted = handler.Inserted;
        result.Updated = handler.Updated;
        result.Unchanged = handler.Unchanged;
        result.YearsCreated = await CreateYearsAsync(tx.GetDbTransaction(), handler.YearsWritten, ct);
        var details = JsonSerializer.Serialize(new
        {
            file = run.Name, year = run.Options.Year, mode = run.Options.Mode.ToString().ToLowerInvariant(),
            rows = result.Rows, inserted = result.Inserted, updated = result.Updated, unchanged = result.Unchanged, yearsCreated = result.YearsCreated, removed = result.Removed, statusEvents = result.StatusEvents, warnings = result.Issues.Warnings,
        }, AuditJson);
        await run.Db.AuditAsync("导入", run.Template.Name, run.Name, details, run.Db.Scope.RootUnitId, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// The school years the import wrote into become <c>SchoolYears</c> rows (inside the import's transaction, so a
    /// failed import creates none): otherwise an imported year could never be chosen in the year selector. Which years
    /// a roster wrote into is its handler's call (<see cref="EntityHandler.YearsWritten"/>). Returns the years that were new.
    /// </summary>
    private static async Task<IReadOnlyList<int>> CreateYearsAsync(System.Data.Common.DbTransaction tx, IEnumerable<int> years,
        CancellationToken ct)
    {
        var created = new List<int>();
        foreach (var year in years.Distinct().Order())
            if (await Organization.SchoolYears.EnsureAsync(tx, year, ct))
                created.Add(year);
        return created;
    }

    private static readonly JsonSerializerOptions AuditJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static double Fraction(RowSource s) => s.Length > 0 ? Math.Min(1, (double)s.Position / s.Length) : 0;

    /// <summary>Template column → file column; names missing required headers, warns about unknown ones.</summary>
    internal static int[] MapHeaders(RowSource source, Template template, IssueLog log)
    {
        var map = Enumerable.Repeat(-1, template.Columns.Length).ToArray();
        for (var i = 0; i < source.Headers.Count; i++)
        {
            var h = source.Headers[i].TrimEnd('*', '＊').Trim();
            if (h.Length == 0) continue;
            var t = template.IndexOf(h);
            if (t < 0)
            {
                if (h != ErrorWorkbook.ErrorColumn)
                    log.Add(new ImportIssue(IssueLevel.Warning, source.SheetName, 1, h, null, "不是模板中的列，已忽略"), "未识别的列");
            }
            else if (map[t] >= 0)
                log.Add(new ImportIssue(IssueLevel.Error, source.SheetName, 1, h, null, "表头重复出现"), "表头重复");
            else map[t] = i;
        }
        for (var t = 0; t < template.Columns.Length; t++)
            if (map[t] < 0 && template.Columns[t].Required)
                log.Add(new ImportIssue(IssueLevel.Error, source.SheetName, 1, template.Columns[t].Header, null,
                    $"缺少必填列“{template.Columns[t].Header}”（第1行应为表头）"), "缺少必填列");
        return map;
    }
}
