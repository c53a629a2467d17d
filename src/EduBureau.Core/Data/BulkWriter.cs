using System.Collections.Concurrent;
using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace EduBureau.Core.Data;

/// <summary>
/// Fast insert of many entity rows, bypassing the change tracker: table and column names and value
/// converters come from the EF model, so rows land exactly as <c>SaveChanges</c> would write them.
/// SQLite: one prepared, parameterised INSERT reused for every row, committed every <see cref="SqliteBatchSize"/> rows.
/// PostgreSQL: binary COPY, then the table's identity sequences are moved past the largest id so later EF
/// inserts do not collide. Rows are streamed: nothing is buffered beyond the current batch.
/// Keys are written as given (callers assign ids; <see cref="NextIdAsync{T}"/> helps). No audit, no scope
/// checks: callers that act for a user write one <see cref="EduDbContext.AuditAsync"/> line themselves.
/// </summary>
public sealed class BulkWriter : IAsyncDisposable
{
    public const int SqliteBatchSize = 50_000;

    private readonly DatabaseOptions _options;
    private readonly IModel _model;
    private readonly DbConnection _connection;

    private BulkWriter(DatabaseOptions options, IModel model, DbConnection connection)
    {
        _options = options;
        _model = model;
        _connection = connection;
    }

    /// <summary>Rows written by this writer so far, over all tables.</summary>
    public long RowsWritten { get; private set; }

    public static async Task<BulkWriter> OpenAsync(DatabaseOptions options, CancellationToken ct = default)
    {
        IModel model;
        await using (var db = Database.OpenSystem(options, "bulk-writer")) model = db.GetService<IDesignTimeModel>().Model;
        DbConnection connection = options.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(options.ConnectionString)
            : new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        if (connection is SqliteConnection)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return new BulkWriter(options, model, connection);
    }

    /// <summary>Inserts the rows in order (parents before children when foreign keys link them). Returns the count.</summary>
    public async Task<long> WriteAsync<T>(IEnumerable<T> rows, CancellationToken ct = default) where T : class
    {
        var table = TableFor(typeof(T));
        var count = _options.Provider == DatabaseProvider.Sqlite
            ? await WriteSqliteAsync(table, rows.Select(r => (object)r).GetEnumerator(), ct)
            : await WritePostgresAsync(table, ToAsync(rows), ct);
        RowsWritten += count;
        return count;
    }

    /// <inheritdoc cref="WriteAsync{T}(IEnumerable{T}, CancellationToken)"/>
    public async Task<long> WriteAsync<T>(IAsyncEnumerable<T> rows, CancellationToken ct = default) where T : class
    {
        var table = TableFor(typeof(T));
        long count;
        if (_options.Provider == DatabaseProvider.Sqlite)
        {
            // Microsoft.Data.Sqlite is synchronous underneath; batches keep the transaction size bounded.
            count = 0;
            var batch = new List<object>(4096);
            await foreach (var row in rows.WithCancellation(ct))
            {
                batch.Add(row);
                if (batch.Count == batch.Capacity)
                {
                    count += await WriteSqliteAsync(table, batch.GetEnumerator(), ct);
                    batch.Clear();
                }
            }
            if (batch.Count > 0) count += await WriteSqliteAsync(table, batch.GetEnumerator(), ct);
        }
        else count = await WritePostgresAsync(table, rows, ct);
        RowsWritten += count;
        return count;
    }

    /// <summary>The next free value of <typeparamref name="T"/>'s single integer key (1 on an empty table).</summary>
    public async Task<long> NextIdAsync<T>(CancellationToken ct = default) where T : class
    {
        var table = TableFor(typeof(T));
        var key = table.Key ?? throw new InvalidOperationException($"{typeof(T).Name} 没有单列整数主键");
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT MAX({Quote(key)}) FROM {table.QuotedName}";
        var max = await cmd.ExecuteScalarAsync(ct);
        return max is null or DBNull ? 1 : Convert.ToInt64(max) + 1;
    }

    public async ValueTask DisposeAsync()
    {
        // Rows bypassed EF: raise the data version once (each batch committed on its own; the figures are stale from the first).
        if (RowsWritten > 0 && _connection.State == System.Data.ConnectionState.Open)
            await DataChangeInterceptor.BumpAsync(_connection, null, CancellationToken.None);
        await _connection.DisposeAsync();
        // Rows bypassed EF (and its change signal): tell the host's caches once, after the last batch committed.
        if (RowsWritten > 0) _options.Changes?.Signal();
    }

    // ---- SQLite ----

    private async Task<long> WriteSqliteAsync(TableInfo table, IEnumerator<object> rows, CancellationToken ct)
    {
        var connection = (SqliteConnection)_connection;
        long total = 0;
        using (rows)
        {
            var more = rows.MoveNext();
            while (more)
            {
                ct.ThrowIfCancellationRequested();
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                await using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = $"INSERT INTO {table.QuotedName} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) " +
                                  $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$p" + i))})";
                var parameters = new DbParameter[table.Columns.Length];
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i] = table.Columns[i].Mapping.CreateParameter(cmd, "$p" + i, null, table.Columns[i].Nullable);
                    cmd.Parameters.Add(parameters[i]);
                }
                cmd.Prepare();
                var inBatch = 0;
                while (more && inBatch < SqliteBatchSize)
                {
                    var row = rows.Current;
                    for (var i = 0; i < parameters.Length; i++)
                        parameters[i].Value = table.Columns[i].ProviderValue(row) ?? DBNull.Value;
                    cmd.ExecuteNonQuery();
                    inBatch++;
                    more = rows.MoveNext();
                }
                await tx.CommitAsync(ct);
                total += inBatch;
            }
        }
        return total;
    }

    // ---- PostgreSQL ----

    private async Task<long> WritePostgresAsync<T>(TableInfo table, IAsyncEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var connection = (NpgsqlConnection)_connection;
        long total = 0;
        var copy = $"COPY {table.QuotedName} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using (var importer = await connection.BeginBinaryImportAsync(copy, ct))
        {
            await foreach (var row in rows.WithCancellation(ct))
            {
                // Synchronous writes per value: they only fill Npgsql's buffer, and avoid a task per cell.
                importer.StartRow();
                foreach (var column in table.Columns)
                {
                    var value = column.ProviderValue(row);
                    if (value is null) importer.WriteNull();
                    else if (column.PgType is { } t) importer.Write(value, t);
                    else importer.Write(value);
                }
                total++;
            }
            await importer.CompleteAsync(ct);
        }
        // Explicit ids do not advance identity sequences: move them past the largest id.
        foreach (var column in table.Columns.Where(c => c.Identity))
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT setval(pg_get_serial_sequence('{table.QuotedName.Replace("'", "''")}', '{column.Name.Replace("'", "''")}'), " +
                              $"COALESCE((SELECT MAX({Quote(column.Name)}) FROM {table.QuotedName}), 0) + 1, false)";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return total;
    }

    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> rows)
    {
        foreach (var row in rows) yield return row;
        await Task.CompletedTask;
    }

    // ---- metadata ----

    private static readonly ConcurrentDictionary<(IModel, Type), TableInfo> Tables = new();

    private TableInfo TableFor(Type clr) => Tables.GetOrAdd((_model, clr), k => BuildTable(k.Item1, k.Item2, _options.Provider));

    private static TableInfo BuildTable(IModel model, Type clr, DatabaseProvider provider)
    {
        var entity = model.FindEntityType(clr) ?? throw new InvalidOperationException($"{clr.Name} 不是数据模型中的实体");
        var tableName = entity.GetTableName() ?? throw new InvalidOperationException($"{clr.Name} 没有映射到表");
        var schema = entity.GetSchema();
        var store = StoreObjectIdentifier.Table(tableName, schema);
        var columns = new List<ColumnInfo>();
        foreach (var p in entity.GetProperties())
        {
            if (p.IsShadowProperty() || p.PropertyInfo is null)
                throw new NotSupportedException($"批量写入不支持影子属性 {clr.Name}.{p.Name}");
            var mapping = (RelationalTypeMapping)p.GetRelationalTypeMapping();
            var identity = provider == DatabaseProvider.Postgres && p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd
                           && p.ClrType.UnwrapNullable() is var t && (t == typeof(int) || t == typeof(long));
            columns.Add(new ColumnInfo(p.GetColumnName(store)!, mapping, p.IsNullable, identity, Getter(clr, p, mapping),
                provider == DatabaseProvider.Postgres ? PgTypeOf(mapping.StoreType) : null));
        }
        var pk = entity.FindPrimaryKey();
        var key = pk is { Properties.Count: 1 } && pk.Properties[0].ClrType.UnwrapNullable() is var kt && (kt == typeof(int) || kt == typeof(long))
            ? pk.Properties[0].GetColumnName(store) : null;
        var quoted = schema is null ? Quote(tableName) : $"{Quote(schema)}.{Quote(tableName)}";
        return new TableInfo(quoted, [.. columns], key);
    }

    /// <summary>A compiled getter that applies the property's value converter (enums → numbers, etc.).</summary>
    private static Func<object, object?> Getter(Type clr, IProperty p, RelationalTypeMapping mapping)
    {
        var row = Expression.Parameter(typeof(object), "row");
        var value = Expression.Property(Expression.Convert(row, clr), p.PropertyInfo!);
        var boxed = Expression.Lambda<Func<object, object?>>(Expression.Convert(value, typeof(object)), row).Compile();
        var converter = mapping.Converter ?? p.GetValueConverter();
        if (converter is not null)
        {
            var toProvider = converter.ConvertToProvider;
            return r => boxed(r) is { } v ? toProvider(v) : null;
        }
        if (p.ClrType.UnwrapNullable().IsEnum)
        {
            var underlying = Enum.GetUnderlyingType(p.ClrType.UnwrapNullable());
            return r => boxed(r) is { } v ? Convert.ChangeType(v, underlying) : null;
        }
        return boxed;
    }

    private static NpgsqlDbType? PgTypeOf(string storeType)
    {
        var paren = storeType.IndexOf('(');
        var name = (paren < 0 ? storeType : storeType[..paren]).Trim().ToLowerInvariant();
        return name switch
        {
            "integer" or "int" or "int4" => NpgsqlDbType.Integer,
            "bigint" or "int8" => NpgsqlDbType.Bigint,
            "smallint" or "int2" => NpgsqlDbType.Smallint,
            "boolean" or "bool" => NpgsqlDbType.Boolean,
            "text" => NpgsqlDbType.Text,
            "character varying" or "varchar" => NpgsqlDbType.Varchar,
            "character" or "char" => NpgsqlDbType.Char,
            "date" => NpgsqlDbType.Date,
            "double precision" or "float8" => NpgsqlDbType.Double,
            "real" or "float4" => NpgsqlDbType.Real,
            "numeric" or "decimal" => NpgsqlDbType.Numeric,
            "timestamp with time zone" or "timestamptz" => NpgsqlDbType.TimestampTz,
            "timestamp without time zone" or "timestamp" => NpgsqlDbType.Timestamp,
            "uuid" => NpgsqlDbType.Uuid,
            "bytea" => NpgsqlDbType.Bytea,
            _ => null,
        };
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private sealed record TableInfo(string QuotedName, ColumnInfo[] Columns, string? Key);

    private sealed record ColumnInfo(string Name, RelationalTypeMapping Mapping, bool Nullable, bool Identity,
        Func<object, object?> ProviderValue, NpgsqlDbType? PgType);
}

internal static class TypeExtensions
{
    public static Type UnwrapNullable(this Type t) => Nullable.GetUnderlyingType(t) ?? t;
}
