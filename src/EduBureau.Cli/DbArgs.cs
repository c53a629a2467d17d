using System.CommandLine;
using EduBureau.Core.Data;

namespace EduBureau.Cli;

/// <summary>The database options every command takes: <c>--db F</c> (SQLite) or <c>--connection S --provider Postgres</c>.</summary>
internal sealed class DbArgs
{
    public Option<string?> Db { get; } = new("--db") { Description = "SQLite 数据库文件" };
    public Option<string?> Connection { get; } = new("--connection") { Description = "数据库连接字符串（用于 PostgreSQL）" };
    public Option<string?> Provider { get; } = new("--provider") { Description = "数据库类型：Sqlite 或 Postgres" };
    /// <summary>SQLite: how long to wait for another writer (the web app's import job); default the long wait of jobs (up to 600 s).</summary>
    public Option<int?> LockWait { get; } = new("--lock-wait") { Description = "SQLite：等待其他程序（如网页的导入任务）释放写入锁的最长秒数（1–3600，默认最长约 600）" };

    public void AddTo(Command command)
    {
        command.Options.Add(Db);
        command.Options.Add(Connection);
        command.Options.Add(Provider);
        command.Options.Add(LockWait);
    }

    public DatabaseOptions Resolve(ParseResult r)
    {
        var db = r.GetValue(Db);
        var connection = r.GetValue(Connection);
        var provider = DatabaseOptions.ParseProvider(r.GetValue(Provider));
        if (connection is not null) return new DatabaseOptions(provider, connection);
        if (db is not null)
        {
            if (r.GetValue(LockWait) is not { } wait) return DatabaseOptions.ForSqliteFile(db);
            if (wait is < 1 or > 3600) throw new CliException("--lock-wait 应为 1 到 3600 之间的秒数");
            return DatabaseOptions.ForSqliteFile(db) with { SqliteLockWait = TimeSpan.FromSeconds(wait) };
        }
        throw new CliException("请用 --db 指定 SQLite 数据库文件，或用 --connection 和 --provider Postgres 指定数据库");
    }
}

/// <summary>An expected failure: printed in Chinese without a stack trace, exit code 1 (or the given one).</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
