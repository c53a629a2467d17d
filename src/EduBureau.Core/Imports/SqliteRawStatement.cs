using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EduBureau.Core.Imports;

/// <summary>
/// One prepared SQLite statement bound by position through the native API, on the connection (and so inside the
/// transaction) of an ADO.NET <see cref="SqliteConnection"/>. For the million-row insert loop only: a
/// <see cref="SqliteCommand"/> looks every parameter up by name and converts every value from object on each execution,
/// which was most of the per-row cost of the import's write (docs/features/import.md). Values are stored exactly as
/// EF Core's SQLite provider stores them (DateOnly as yyyy-MM-dd text, bool and enums as integers).
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public SqliteRawStatement(DbConnection connection, string sql)
    {
        _db = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("SQLite connection is not open");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _stmt);
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
    }

    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    public void Bind(int index, long value) => raw.sqlite3_bind_int64(_stmt, index, value);
    public void Bind(int index, int value) => raw.sqlite3_bind_int(_stmt, index, value);
    public void Bind(int index, int? value)
    {
        if (value is { } v) raw.sqlite3_bind_int(_stmt, index, v);
        else raw.sqlite3_bind_null(_stmt, index);
    }

    public void Bind(int index, bool value) => raw.sqlite3_bind_int(_stmt, index, value ? 1 : 0);
    public void Bind(int index, DateOnly value) => raw.sqlite3_bind_text(_stmt, index, value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    public void Bind(int index, string? value)
    {
        if (value is null) raw.sqlite3_bind_null(_stmt, index);
        else raw.sqlite3_bind_text(_stmt, index, value);
    }

    /// <summary>Runs the statement once with the values bound since the last run.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc != raw.SQLITE_DONE)
        {
            var message = raw.sqlite3_errmsg(_db).utf8_to_string();
            raw.sqlite3_reset(_stmt);
            throw new SqliteException($"SQLite Error {rc}: '{message}'.", rc);
        }
        raw.sqlite3_reset(_stmt);
    }

    public void Dispose() => _stmt.Dispose();
}
