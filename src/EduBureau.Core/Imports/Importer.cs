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
    public int Updated { get; set; }
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
        : Success ? $"导入成功：共 {Rows} 行，新增 {Inserted}，更新 {Updated}{(Removed > 0 ? $"，转出/移除 {Removed}" : "")}{(StatusEvents > 0 ? $"，记录学籍变动 {StatusEvents} 条" : "")}；警告 {Issues.Warnings} 条"
        : $"导入失败，未写入任何数据：错误 {Issues.Errors} 条，警告 {Issues.Warnings} 条";
}

/// <summary>
/// Runs one import: read the header, validate every row (pass 1, streaming), and only when there is no error
/// read the rows again and write them in one transaction (pass 2). With any error nothing is written and an
/// error workbook (the original rows + 错误 column + 汇总 sheet) is produced instead.
/// </summary>
public static class Importer
{
    public static async Task<ImportResult> RunAsync(EduDbContext db, string path, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var template = Template.For(options.Entity);
        var result = new ImportResult { Entity = options.Entity };
        var name = options.DisplayName ?? Path.GetFileName(path);
        try
        {
            if (!db.Scope.CanWrite) throw new ImportFileException("当前角色为只读，不能导入数据");
            var handler = EntityHandler.Create(options.Entity, db, options);
            int[] map;
            using (var source = RowSource.Open(path, name))
            {
                map = MapHeaders(source, template, result.Issues);
                if (!result.Issues.HasErrors)
                {
                    await handler.PrepareAsync(ct);
                    var reader = new RowReader(source, map, template, result.Issues);
                    while (source.Read())
                    {
                        reader.Next();
                        handler.Validate(reader);
                        result.Rows++;
                        if ((result.Rows & 0x3FFF) == 0)
                        {
                            ct.ThrowIfCancellationRequested();
                            progress?.Report(new ImportProgress("检查", result.Rows, Fraction(source) * 0.5));
                        }
                    }
                    if (result.Rows == 0)
                        result.Issues.Add(new ImportIssue(IssueLevel.Error, source.SheetName, 0, "", null, "文件中只有表头，没有数据行"));
                    handler.AfterValidation(result.Issues);
                }
            }

            result.CheckElapsed = watch.Elapsed;
            if (result.Issues.HasErrors)
            {
                if (options.ErrorWorkbookPath is { } errorPath)
                {
                    progress?.Report(new ImportProgress("生成错误清单", result.Rows, 0.5));
                    ErrorWorkbook.Write(path, name, errorPath, template, result);
                    result.ErrorWorkbook = errorPath;
                }
                return result;
            }

            await db.Database.OpenConnectionAsync(ct);
            // SQLite's default 2 MB page cache makes a million-row insert spill index pages to the WAL again and again;
            // 64 MB for the write pass roughly halved its time at 300,000 rows (docs/features/import.md), then it is given back.
            var sqlite = db.Database.GetDbConnection().GetType().Name == "SqliteConnection";
            if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -65536", ct);
            try
            {
                await using (var tx = await db.Database.BeginTransactionAsync(ct))
                {
                    using var source = RowSource.Open(path, name);
                    var muted = new IssueLog { Muted = true };
                    var reader = new RowReader(source, map, template, muted);
                    await handler.BeginWriteAsync(tx.GetDbTransaction(), ct);
                    long rows = 0;
                    while (source.Read())
                    {
                        reader.Next();
                        await handler.WriteAsync(reader, ct);
                        if ((++rows & 0x3FFF) == 0)
                        {
                            ct.ThrowIfCancellationRequested();
                            progress?.Report(new ImportProgress("写入", rows, 0.5 + Fraction(source) * 0.5));
                        }
                    }
                    await handler.EndWriteAsync(result, ct);
                    result.Inserted = handler.Inserted;
                    result.Updated = handler.Updated;
                    var details = JsonSerializer.Serialize(new
                    {
                        file = name, year = options.Year, mode = options.Mode.ToString().ToLowerInvariant(),
                        rows = result.Rows, inserted = result.Inserted, updated = result.Updated, removed = result.Removed, statusEvents = result.StatusEvents, warnings = result.Issues.Warnings,
                    }, AuditJson);
                    await db.AuditAsync("导入", template.Name, name, details, db.Scope.RootUnitId, ct);
                    await tx.CommitAsync(ct);
                }
            }
            finally
            {
                if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000; PRAGMA shrink_memory;", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
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
