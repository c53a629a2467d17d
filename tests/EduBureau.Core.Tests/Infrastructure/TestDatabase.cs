using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Npgsql;

namespace EduBureau.Core.Tests.Infrastructure;

/// <summary>
/// A real, empty, migrated database for one test: a SQLite file in a temp folder, or a fresh database on the
/// local PostgreSQL named by EDU_TEST_POSTGRES (scripts/start-postgres.sh). Without that variable the Postgres
/// cases are skipped locally, and fail under CI so a missing server can never pass silently.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "EDU_TEST_POSTGRES";

    public static TheoryData<string> Providers => new() { "Sqlite", "Postgres" };

    private readonly string? _dir;
    private readonly string? _pgAdmin;
    private readonly string? _pgName;

    private bool _checkCountyKeys;

    private TestDatabase(DatabaseOptions options, string? dir, string? pgAdmin, string? pgName)
    {
        Options = options;
        _dir = dir;
        _pgAdmin = pgAdmin;
        _pgName = pgName;
    }

    public DatabaseOptions Options { get; }

    public static async Task<TestDatabase> CreateAsync(string provider = "Sqlite", bool migrate = true)
    {
        TestDatabase db;
        if (provider == "Sqlite")
        {
            var dir = Path.Combine(Path.GetTempPath(), "edu-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            db = new TestDatabase(DatabaseOptions.ForSqliteFile(Path.Combine(dir, "test.db")), dir, null, null);
        }
        else
        {
            var admin = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrEmpty(admin))
            {
                if (Environment.GetEnvironmentVariable("CI") is not null)
                    throw new InvalidOperationException($"CI 环境必须设置 {PostgresVariable}（scripts/start-postgres.sh）");
                Skip.If(true, $"未设置 {PostgresVariable}：跳过 PostgreSQL 用例（运行 scripts/start-postgres.sh）");
            }
            var name = "edu_test_" + Guid.NewGuid().ToString("N")[..16];
            await using (var c = new NpgsqlConnection(admin))
            {
                await c.OpenAsync();
                await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
                await cmd.ExecuteNonQueryAsync();
            }
            var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
            db = new TestDatabase(new DatabaseOptions(DatabaseProvider.Postgres, cs), null, admin, name);
        }
        if (migrate) await Database.MigrateAsync(db.Options);
        db._checkCountyKeys = migrate;
        return db;
    }

    /// <summary>A context for <paramref name="scope"/>, or the system one (a test looking at everything) when none is given.</summary>
    public EduDbContext Open(UserScope? scope = null, TimeProvider? clock = null) =>
        scope is null ? Database.OpenSystem(Options, "test", clock) : Database.Open(Options, scope, clock);

    public async ValueTask DisposeAsync()
    {
        // Every test that writes through any path (EF, raw SQL, COPY, bulk writer, rollover) leaves each fact row
        // with its school's county: the distribution key of docs/scaling.md may never be wrong or missing.
        if (_checkCountyKeys)
        {
            Dictionary<string, int> wrong;
            await using (var db = Open()) wrong = await CountyKeys.MismatchesAsync(db);
            if (wrong.Count > 0)
            {
                _checkCountyKeys = false;
                await DisposeAsync();
                throw new InvalidOperationException("CountyId differs from the school's county in: " +
                                                    string.Join(", ", wrong.Select(w => $"{w.Key} ({w.Value} rows)")));
            }
        }
        if (_dir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
        if (_pgAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(_pgAdmin);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
