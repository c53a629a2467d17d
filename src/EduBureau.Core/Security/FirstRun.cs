using System.Data;
using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Security;

/// <summary>
/// 首次设置 (the /Setup page): the root unit and the first 局管理员 of an installation without any account — once.
/// Atomic in the database, not only in one process: the "no account yet" check and both inserts run in one
/// serialisable transaction. SQLite begins it with <c>BEGIN IMMEDIATE</c> (the second caller waits for the write
/// lock, then sees the account); PostgreSQL's serialisable isolation aborts all but one of concurrent callers
/// (40001), which are answered like a late caller.
/// </summary>
public static class FirstRun
{
    public const string AlreadyDone = "已有账号，首次设置已关闭。请登录。";

    public static async Task<Result> CreateAdministratorAsync(DatabaseOptions options, string unitName, string userName, string password,
        CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(unitName) || string.IsNullOrWhiteSpace(userName)) return Result.Invalid("请填写单位名称和用户名");
        if (PasswordPolicy.Check(password, userName.Trim()) is { } weak) return Result.Invalid(weak);
        await using var db = Database.OpenSystem(options, "setup");
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            if (await db.Users.AnyAsync(ct)) return Result.Conflict(AlreadyDone);
            var rootId = await OrgRules.EnsureRootAsync(db, unitName.Trim(), ct);
            await UserAccounts.CreateAsync(db, userName, password, Roles.BureauAdmin, rootId, ct: ct);
            await tx.CommitAsync(ct);
            return Result.Ok();
        }
        catch (ArgumentException e)
        {
            return Result.Invalid(e.Message);
        }
        catch (Exception e) when (LostTheRace(e))
        {
            return Result.Conflict(AlreadyDone);
        }
    }

    // PostgreSQL: serialization failure / deadlock / unique violation; SQLite: busy or locked past the timeout, constraint.
    private static bool LostTheRace(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 19 }) return true;
            if (x is DbException { SqlState: "40001" or "40P01" or "23505" }) return true;
        }
        return false;
    }
}
