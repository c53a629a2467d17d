using EduBureau.Core.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Data;

/// <summary>
/// SQLite has one writer: while an import job's transaction holds the write lock, an interactive save (a web request's
/// context, which waits only <see cref="DatabaseOptions.InteractiveLockWait"/>) fails with SQLITE_BUSY. That failure
/// is expected and answered with <see cref="BusyMessage"/>, never a 500 or a long hang.
/// </summary>
public static class WriteLock
{
    public const string BusyMessage = "正在写入导入数据，请几秒后再保存；你的修改未保存";

    /// <summary>SQLITE_BUSY (5) or SQLITE_LOCKED (6), also when EF wraps it (DbUpdateException).</summary>
    public static bool IsBusy(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SqliteException { SqliteErrorCode: 5 or 6 }) return true;
        return false;
    }
    /// <summary>
    /// Saves, answering the expected failures of an interactive save as a Conflict instead of an exception: SQLite's
    /// write lock held by an import (<see cref="BusyMessage"/>) and, when <paramref name="staleMessage"/> is given, a
    /// stale optimistic-concurrency version. Ok otherwise.
    /// </summary>
    public static async Task<Result> SaveOrBusyAsync(this EduDbContext db, string? staleMessage = null, CancellationToken ct = default)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return Result.Ok();
        }
        catch (DbUpdateConcurrencyException) when (staleMessage is not null)
        {
            return Result.Conflict(staleMessage);
        }
        catch (Exception e) when (IsBusy(e))
        {
            return Result.Conflict(BusyMessage); // an import holds SQLite's write lock
        }
    }
}
