using System.CommandLine;
using EduBureau.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli;

internal static class DatabaseCommands
{
    public static Command Migrate()
    {
        var db = new DbArgs();
        var cmd = new Command("migrate", "创建数据库或升级到最新结构");
        db.AddTo(cmd);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            await Database.MigrateAsync(options, ct);
            Console.WriteLine("数据库结构已是最新。");
            return 0;
        });
        return cmd;
    }

    public static Command Backup()
    {
        var db = new DbArgs();
        var output = new Option<string>("--out") { Description = "备份文件路径", Required = true };
        var cmd = new Command("backup", "在线备份 SQLite 数据库（PostgreSQL 请用 pg_dump，见 README）");
        db.AddTo(cmd);
        cmd.Options.Add(output);
        cmd.SetAction(r =>
        {
            var options = db.Resolve(r);
            var file = RequireSqlite(options, "backup");
            var target = r.GetValue(output)!;
            SqliteBackup.Copy(file, target);
            Console.WriteLine($"已备份到 {target}");
            return 0;
        });
        return cmd;
    }

    public static Command Restore()
    {
        var db = new DbArgs();
        var input = new Option<string>("--from") { Description = "备份文件路径", Required = true };
        var cmd = new Command("restore", "从备份文件恢复 SQLite 数据库（覆盖 --db 指定的文件）");
        db.AddTo(cmd);
        cmd.Options.Add(input);
        cmd.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            var file = RequireSqlite(options, "restore");
            var source = r.GetValue(input)!;
            if (!File.Exists(source)) throw new CliException($"备份文件不存在：{source}");
            if (!await SqliteBackup.LooksLikeEduDatabaseAsync(source, ct))
                throw new CliException($"{source} 不是 EduBureau 的数据库备份，未做任何更改");
            SqliteBackup.Copy(source, file);
            Console.WriteLine($"已从 {source} 恢复到 {file}");
            return 0;
        });
        return cmd;
    }

    private static string RequireSqlite(DatabaseOptions options, string verb) =>
        options.SqliteFile ?? throw new CliException(
            $"edu {verb} 只用于 SQLite。PostgreSQL 请使用 pg_dump / pg_restore（见 README“备份与恢复”）");
}

/// <summary>SQLite's online backup API: consistent even while the web app writes.</summary>
internal static class SqliteBackup
{
    public static void Copy(string sourceFile, string targetFile)
    {
        if (!File.Exists(sourceFile)) throw new CliException($"数据库文件不存在：{sourceFile}");
        if (Path.GetDirectoryName(Path.GetFullPath(targetFile)) is { } dir) Directory.CreateDirectory(dir);
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sourceFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = targetFile, Pooling = false }.ToString());
        source.Open();
        target.Open();
        source.BackupDatabase(target);
    }

    public static async Task<bool> LooksLikeEduDatabaseAsync(string file, CancellationToken ct)
    {
        try
        {
            await using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await c.OpenAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('__EFMigrationsHistory','Schools','Students')";
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct)) == 3;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
