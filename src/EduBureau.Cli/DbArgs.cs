using System.CommandLine;
using EduBureau.Core.Data;

namespace EduBureau.Cli;

/// <summary>The database options every command takes: <c>--db F</c> (SQLite) or <c>--connection S --provider Postgres</c>.</summary>
internal sealed class DbArgs
{
    public Option<string?> Db { get; } = new("--db") { Description = "SQLite 数据库文件" };
    public Option<string?> Connection { get; } = new("--connection") { Description = "数据库连接字符串（用于 PostgreSQL）" };
    public Option<string?> Provider { get; } = new("--provider") { Description = "数据库类型：Sqlite 或 Postgres" };

    public void AddTo(Command command)
    {
        command.Options.Add(Db);
        command.Options.Add(Connection);
        command.Options.Add(Provider);
    }

    public DatabaseOptions Resolve(ParseResult r)
    {
        var db = r.GetValue(Db);
        var connection = r.GetValue(Connection);
        var provider = DatabaseOptions.ParseProvider(r.GetValue(Provider));
        if (connection is not null) return new DatabaseOptions(provider, connection);
        if (db is not null) return DatabaseOptions.ForSqliteFile(db);
        throw new CliException("请用 --db 指定 SQLite 数据库文件，或用 --connection 和 --provider Postgres 指定数据库");
    }
}

/// <summary>An expected failure: printed in Chinese without a stack trace, exit code 1 (or the given one).</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
