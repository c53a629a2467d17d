using System.Data.Common;
using EduBureau.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EduBureau.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Which database to use: bound from <c>ConnectionStrings:Default</c> and <c>Database:Provider</c>; never guessed.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string SqliteMigrations = "EduBureau.Migrations.Sqlite";
    public const string PostgresMigrations = "EduBureau.Migrations.Postgres";

    /// <summary>The embedded default: one SQLite file.</summary>
    public static DatabaseOptions ForSqliteFile(string path) =>
        new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString());

    public static DatabaseProvider ParseProvider(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new ArgumentException($"未知的数据库类型“{name}”：应为 Sqlite 或 Postgres"),
    };

    /// <summary>
    /// Told after every committed write of a context opened with these options (null: nobody caches, e.g. the CLI).
    /// The web app sets its one <see cref="DataChanges"/> here, so its own contexts, the job runner's and the bulk
    /// writer's expire its caches without anyone calling <see cref="DataChanges.Signal"/>.
    /// </summary>
    public DataChanges? Changes { get; init; }

    /// <summary>
    /// SQLite only: how long a write waits for another writer's lock before SQLITE_BUSY (null: 10 s per statement,
    /// retried up to the command timeout — jobs and the CLI). The web app's request contexts use
    /// <see cref="InteractiveLockWait"/>, so an edit during an import answers at once (<see cref="WriteLock"/>).
    /// </summary>
    public TimeSpan? SqliteLockWait { get; init; }

    /// <summary>The lock wait of interactive (web request) contexts.</summary>
    public static readonly TimeSpan InteractiveLockWait = TimeSpan.FromSeconds(1);

    /// <summary>The SQLite file path, or null for PostgreSQL.</summary>
    public string? SqliteFile => Provider == DatabaseProvider.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;

    /// <summary>The default home of files the app keeps (uploads, admission inputs): <paramref name="folder"/> beside the SQLite file, else data/<paramref name="folder"/>.</summary>
    public string BesideDatabase(string folder) =>
        SqliteFile is { } f && Path.GetDirectoryName(Path.GetFullPath(f)) is { } d ? Path.Combine(d, folder) : Path.Combine("data", folder);
}

public static class Database
{
    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                if (options.SqliteLockWait is { } wait)
                {
                    var seconds = WaitSeconds(wait);
                    builder.UseSqlite(ConnectionString(options), o => o.MigrationsAssembly(DatabaseOptions.SqliteMigrations).CommandTimeout(seconds));
                    builder.AddInterceptors(SqlitePragmas.For((int)wait.TotalMilliseconds));
                }
                else
                {
                    builder.UseSqlite(options.ConnectionString, o => o.MigrationsAssembly(DatabaseOptions.SqliteMigrations).CommandTimeout(600));
                    builder.AddInterceptors(SqlitePragmas.Instance);
                }
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(options.ConnectionString, o => o.MigrationsAssembly(DatabaseOptions.PostgresMigrations).CommandTimeout(600));
                break;
        }
        builder.AddInterceptors(options.Changes?.Interceptor ?? DataChangeInterceptor.VersionOnly);
        // Scope filters on required navigations are intended: a filtered-out school hides its rows.
        builder.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
    }

    // Microsoft.Data.Sqlite retries a busy statement until the command timeout (BEGIN: the connection's Default Timeout):
    // both become the wait, and busy_timeout the same, so the whole wait is ~wait.
    private static int WaitSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>The connection string contexts opened with <paramref name="options"/> use (so a connection made from it shares their pool).</summary>
    public static string ConnectionString(DatabaseOptions options) =>
        options.Provider == DatabaseProvider.Sqlite && options.SqliteLockWait is { } wait
            ? new SqliteConnectionStringBuilder(options.ConnectionString) { DefaultTimeout = WaitSeconds(wait) }.ToString()
            : options.ConnectionString;

    /// <summary>
    /// A bare connection from the contexts' pool, for a hot read that needs no context (the account gate of every
    /// request). Not opened; no scope filters: the caller reads what it may.
    /// </summary>
    public static DbConnection CreateConnection(DatabaseOptions options) => options.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteConnection(ConnectionString(options)),
        _ => new Npgsql.NpgsqlConnection(ConnectionString(options)),
    };

    public static DbContextOptions<EduDbContext> BuildOptions(DatabaseOptions options)
    {
        var b = new DbContextOptionsBuilder<EduDbContext>();
        Configure(b, options);
        return b.Options;
    }

    /// <summary>
    /// Opens a context outside DI for one user's <paramref name="scope"/>. There is no default: a context without a
    /// scope does not exist, and the only unrestricted one comes from <see cref="OpenSystem"/> (#14, scope fails closed).
    /// </summary>
    public static EduDbContext Open(DatabaseOptions options, UserScope scope, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new(BuildOptions(options), scope, clock ?? TimeProvider.System);
    }

    /// <summary>
    /// The one named entry point for system work that sees and writes everything: the CLI (an operator at the
    /// server), migrations, the demo generator, start-up and background jobs. <paramref name="actor"/> is what the
    /// audit log records as the user ("edu import", "jobs", "demo"). Web requests never use it: they get the
    /// signed-in user's scope from DI.
    /// </summary>
    public static EduDbContext OpenSystem(DatabaseOptions options, string actor, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return new(BuildOptions(options), UserScope.System(actor), clock ?? TimeProvider.System);
    }

    /// <summary>Creates the database when missing and applies pending migrations.</summary>
    public static async Task MigrateAsync(DatabaseOptions options, CancellationToken ct = default)
    {
        if (options.SqliteFile is { } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir)
            Directory.CreateDirectory(dir);
        await using var db = OpenSystem(options, "migrate");
        await db.Database.MigrateAsync(ct);
    }
}

/// <summary>SQLite settings for a file shared by a web app and a CLI: WAL, a busy timeout, foreign keys.</summary>
internal sealed class SqlitePragmas(int busyTimeoutMs = 10000) : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    // One instance per wait (a handful of configured values): options built per context share it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, SqlitePragmas> ByWait = new();
    private readonly string _pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA foreign_keys=ON;";

    public static SqlitePragmas For(int busyTimeoutMs) => ByWait.GetOrAdd(busyTimeoutMs, ms => new SqlitePragmas(ms));

    // The pragmas belong to the SQLite handle, which the pool keeps open between requests: set once per handle (and wait),
    // not on every open, which a cached page would pay on each request (#16). Code that changes one for a while (the job
    // runner's short busy_timeout) sets it back before the handle returns to the pool.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, System.Runtime.CompilerServices.StrongBox<int>> Applied = new();

    private bool Needed(DbConnection connection, out SQLitePCL.sqlite3? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is null || !Applied.TryGetValue(handle, out var applied) || applied.Value != busyTimeoutMs;
    }

    private void Done(SQLitePCL.sqlite3? handle)
    {
        if (handle is not null) Applied.AddOrUpdate(handle, new System.Runtime.CompilerServices.StrongBox<int>(busyTimeoutMs));
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!Needed(connection, out var handle)) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = _pragmas;
        cmd.ExecuteNonQuery();
        Done(handle);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!Needed(connection, out var handle)) return;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = _pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        Done(handle);
    }
}
