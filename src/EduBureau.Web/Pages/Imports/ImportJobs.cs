using System.Collections.Concurrent;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Security;

namespace EduBureau.Web.Pages.Imports;

/// <summary>One upload being checked and written in the background, so the browser can show progress.</summary>
public sealed class ImportJob
{
    public required string Id { get; init; }
    public required string Owner { get; init; }
    public required string FileName { get; init; }
    public required ImportOptions Options { get; init; }
    public volatile ImportProgress? Progress;
    public ImportResult? Result { get; set; }
    public string? Failure { get; set; }
    public bool Done => Result is not null || Failure is not null;
    public string? ErrorWorkbookPath { get; set; }
}

/// <summary>
/// Imports run on the thread pool with their own context (scoped to the uploader's unit), tracked in memory.
/// A restart forgets running jobs; the transaction then rolls back, so nothing half-written remains.
/// </summary>
public static class ImportJobs
{
    private static readonly ConcurrentDictionary<string, ImportJob> Jobs = new();
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "edu-imports");

    public static ImportJob Start(DatabaseOptions db, UserScope scope, TimeProvider clock, string uploadPath, string fileName, ImportOptions options, ILogger logger,
        Action? committed = null)
    {
        ForgetOld(clock);
        var id = Path.GetFileName(Path.GetDirectoryName(uploadPath))!;
        var job = new ImportJob
        {
            Id = id, Owner = scope.Actor, FileName = fileName,
            Options = options with { DisplayName = fileName, ErrorWorkbookPath = Path.Combine(Path.GetDirectoryName(uploadPath)!, "错误清单.xlsx") },
        };
        Jobs[id] = job;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var ctx = Database.Open(db, scope, clock);
                var progress = new Reporter(p => job.Progress = p);
                var result = await Importer.RunAsync(ctx, uploadPath, job.Options, progress);
                // Signalled before the job shows as done, so the next page already lists a school year the import created.
                if (result.Success) committed?.Invoke();
                job.ErrorWorkbookPath = result.ErrorWorkbook;
                job.Result = result;
            }
            catch (Exception e)
            {
                logger.LogError(e, "导入 {File} 失败", fileName);
                job.Failure = "导入时发生内部错误，未写入任何数据。请联系管理员查看日志。";
            }
            finally
            {
                try { File.Delete(uploadPath); } catch (IOException) { }
            }
        });
        return job;
    }

    public static ImportJob? Find(string id, string owner) => Jobs.TryGetValue(id, out var j) && j.Owner == owner ? j : null;

    /// <summary>Jobs and their files are kept for a day.</summary>
    private static void ForgetOld(TimeProvider clock)
    {
        if (!Directory.Exists(Root)) return;
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            if (Directory.GetCreationTimeUtc(dir) > clock.GetUtcNow().UtcDateTime.AddDays(-1)) continue;
            var id = Path.GetFileName(dir);
            if (Jobs.TryGetValue(id, out var j) && !j.Done) continue;
            Jobs.TryRemove(id, out _);
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private sealed class Reporter(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
