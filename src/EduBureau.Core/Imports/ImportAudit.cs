using System.Data.Common;
using System.Text.Json;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Imports;

/// <summary>
/// Per-record audit of an import's updates (#14): imports write with raw SQL, which the context's audit does not see,
/// so each existing pupil or staff member a file changes gets one line (action <see cref="Action"/>) with the changed
/// fields old → new, in the JSON shape of the context's own lines. Written in bulk inside the import's transaction
/// (all or nothing); unchanged rows are not written and get no line. Values are stored like every other audit line
/// (the audit log is read by 局管理员 only).
/// </summary>
internal sealed class ImportAudit(EduDbContext db)
{
    public const string Action = "导入修改";
    private readonly List<(string Entity, string Key, int? Unit, string Changes)> _lines = [];

    /// <summary>A field in <paramref name="diff"/> when its value changed, shown as the audit log shows values.</summary>
    public static void Compare(SortedDictionary<string, object?[]> diff, string field, object? old, object? @new)
    {
        if (!Equals(old, @new)) diff[field] = [EduDbContext.Display(old), EduDbContext.Display(@new)];
    }

    public static SortedDictionary<string, object?[]> NewDiff() => new(StringComparer.Ordinal);

    /// <summary>One line for the record, unless nothing changed.</summary>
    public void Add(string entity, long key, int? unit, SortedDictionary<string, object?[]> diff)
    {
        if (diff.Count > 0)
            _lines.Add((entity, key.ToString(System.Globalization.CultureInfo.InvariantCulture), unit, JsonSerializer.Serialize(diff, EduDbContext.AuditJson)));
    }

    /// <summary>Inserts the lines (prepared statement on SQLite, binary COPY on PostgreSQL) in the import's transaction.</summary>
    public async Task WriteAsync(DbTransaction tx, CancellationToken ct)
    {
        if (_lines.Count == 0) return;
        var table = SqlNames.Table<Audit.AuditEntry>(db);
        var at = db.Clock.GetUtcNow().UtcDateTime;
        if (tx.Connection is Npgsql.NpgsqlConnection pg)
        {
            // PostgreSQL: binary COPY inside the import's transaction (an update of every pupil is one line each).
            await using var copy = await PostgresCopy.BeginAsync(pg,
                $"COPY {table} (\"At\", \"UserName\", \"Action\", \"Entity\", \"EntityKey\", \"Changes\", \"OrgUnitId\") FROM STDIN (FORMAT BINARY)", db, ct);
            foreach (var (entity, key, unit, changes) in _lines)
            {
                ct.ThrowIfCancellationRequested();
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(at, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(db.Scope.Actor, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync(Action, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync(entity, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync(key, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync(changes, NpgsqlTypes.NpgsqlDbType.Text, ct);
                if (unit is int u) await copy.WriteAsync(u, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                else await copy.WriteNullAsync(ct);
            }
            await copy.CompleteAsync(ct);
            _lines.Clear();
            return;
        }
        await using var w = new SqlRowWriter(tx,
            $"INSERT INTO {table} (\"At\", \"UserName\", \"Action\", \"Entity\", \"EntityKey\", \"Changes\", \"OrgUnitId\") VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)");
        foreach (var (entity, key, unit, changes) in _lines)
        {
            ct.ThrowIfCancellationRequested();
            await w.ExecuteAsync(0, at, db.Scope.Actor, Action, entity, key, changes, unit);
        }
        _lines.Clear();
    }
}
