using System.Data.Common;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Imports;

/// <summary>What one template needs: lookups, row validation (pass 1) and writing (pass 2).</summary>
internal abstract class EntityHandler(EduDbContext db, ImportOptions options) : IAsyncDisposable
{
    protected EduDbContext Db { get; } = db;
    protected ImportOptions Options { get; } = options;
    protected int Year => Options.Year;
    public int Inserted { get; protected set; }
    public int Updated { get; protected set; }
    /// <summary>Rows whose key exists and whose every imported value equals what is stored: not written.</summary>
    public int Unchanged { get; protected set; }
    /// <summary>
    /// The school years the successful import wrote data of, made <c>SchoolYears</c> rows by the importer before the
    /// commit. Rosters of one school year (学生, 教职工, 任课教师): the import's year. None by default (学校, 历年在校生).
    /// </summary>
    public virtual IEnumerable<int> YearsWritten => [];

    public static EntityHandler Create(ImportEntity entity, EduDbContext db, ImportOptions options) => entity switch
    {
        ImportEntity.Students => new StudentImport(db, options),
        ImportEntity.Staff => new StaffImport(db, options),
        ImportEntity.Schools => new SchoolImport(db, options),
        ImportEntity.Conditions => new ConditionImport(db, options),
        ImportEntity.Population => new PopulationImport(db, options),
        ImportEntity.History => new HistoryImport(db, options),
        ImportEntity.Teaching => new TeachingImport(db, options),
        ImportEntity.Units => new UnitImport(db, options),
        _ => throw new ArgumentOutOfRangeException(nameof(entity)),
    };

    public abstract Task PrepareAsync(CancellationToken ct);
    /// <summary>Pass 1: check one row, recording issues; remember what cross-row checks need.</summary>
    public abstract void Validate(RowReader r);
    public virtual void AfterValidation(IssueLog log) { }
    public abstract Task BeginWriteAsync(DbTransaction tx, CancellationToken ct);
    /// <summary>Pass 2: the row passed validation; write it.</summary>
    public abstract ValueTask WriteAsync(RowReader r, CancellationToken ct);
    public abstract Task EndWriteAsync(ImportResult result, CancellationToken ct);
    /// <summary>Releases native statements, whether the write finished or failed.</summary>
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // ---- shared lookups ----

    /// <summary>A school as the checks need it; <see cref="ClosedOn"/> is set for a closed (撤销/撤并) school.</summary>
    protected sealed record SchoolInfo(int Id, string Code, string Name, string Path, int CountyId, int TownshipId, SchoolLevel Level, DateOnly? ClosedOn = null);

    protected Dictionary<string, SchoolInfo> Schools { get; private set; } = [];
    protected Dictionary<int, SchoolInfo> SchoolsById { get; private set; } = [];

    protected async Task LoadSchoolsAsync(CancellationToken ct)
    {
        // County-wide: a code outside the scope must get "无权…" (School below), not "不存在".
        Schools = await Db.Schools.CountyWide()
            .Select(s => new SchoolInfo(s.Id, s.Code, s.Name, s.Path, s.CountyId, s.TownshipId, s.Level, s.Unit.ClosedOn))
            .ToDictionaryAsync(s => s.Code, StringComparer.Ordinal, ct);
        SchoolsById = Schools.Values.ToDictionary(s => s.Id);
        await LoadLocksAsync(ct);
    }

    // ---- locks (#17): rows of a locked (dataset, year, unit) are refused, naming the round ----

    /// <summary>The datasets this template writes, whose locks refuse its rows.</summary>
    protected virtual IReadOnlyList<Collection.CollectionDataset> LockedBy => [];
    /// <summary>Whether every row is of the import's year (rosters), so <see cref="School"/> checks the lock; else the row's year is checked by the handler.</summary>
    protected virtual bool RowsOfImportYear => true;
    private List<Collection.DataLocks.Lock> _locks = [];

    protected async Task LoadLocksAsync(CancellationToken ct)
    {
        if (LockedBy.Count > 0) _locks = await Collection.DataLocks.LoadAsync(Db, LockedBy, null, ct);
    }

    /// <summary>True (with the error recorded) when the unit's data of <paramref name="year"/> is locked.</summary>
    protected bool RefuseLocked(RowReader r, int column, int unitId, string unitName, int year)
    {
        if (_locks.Count == 0 || _locks.FirstOrDefault(l => l.UnitId == unitId && l.Year == year) is not { } hit) return false;
        r.Error(column, r[column], Collection.DataLocks.Refusal(unitName, hit), "数据已锁定");
        return true;
    }


    /// <summary>A known school the actor may write to, or null with an error recorded.</summary>
    protected SchoolInfo? School(RowReader r, int column)
    {
        var code = r[column];
        if (code is null) { r.Error(column, null, "必填项为空"); return null; }
        if (!Schools.TryGetValue(code, out var s)) { r.Error(column, code, "学校标识码不存在（不是本平台已登记的学校）", "学校标识码不存在"); return null; }
        if (!Db.Scope.Covers(s.Path)) { r.Error(column, code, $"无权导入其他单位的数据（{s.Name}不在你的管理范围内）", "超出管理范围"); return null; }
        if (RowsOfImportYear && RefuseLocked(r, column, s.Id, s.Name, Year)) return null;
        return s;
    }

    /// <summary>
    /// True (with the error recorded on the row) when the school was closed by the end of <see cref="Year"/>: a closed
    /// school takes no pupils or staff of that year or later; its history stays.
    /// </summary>
    protected bool RefuseClosed(RowReader r, int column, SchoolInfo school)
    {
        if (school.ClosedOn is not { } on || on > new DateOnly(Year + 1, 8, 31)) return false;
        r.Error(column, r[column], $"学校已撤销（{school.Name}，{Cells.Date(on)}撤销），不能再导入{Year}学年及以后的学生或教职工", "学校已撤销");
        return true;
    }

    /// <summary>Checks a 身份证件号 and its agreement with gender and birth date; returns the normalised number.</summary>
    protected static string? IdNumberCell(RowReader r, int column, Gender? gender, int genderColumn, DateOnly? birth, int birthColumn)
    {
        var v = r[column];
        if (v is null) return null;
        var id = v.ToUpperInvariant();
        if (id.Contains('*', StringComparison.Ordinal))
        {
            r.Error(column, v, "是打码后的证件号（来自不显示证件号的导出），不能导入：请用能查看证件号的账号导出，或留空", "身份证件号已打码");
            return null;
        }
        if (Common.IdNumber.Validate(id) is { } why)
        {
            r.Error(column, v, why, why.StartsWith("身份证件号校验码", StringComparison.Ordinal) ? "身份证件号校验码错误" : "身份证件号格式错误");
            return null;
        }
        if (gender is { } g && Common.IdNumber.GenderOf(id) is { } ig && ig != g)
            r.Error(genderColumn, g.Zh(), $"与身份证件号不一致（证件号表示“{ig.Zh()}”）", "性别与身份证件号不一致");
        if (birth is { } b && Common.IdNumber.BirthDate(id) is { } ib && ib != b)
            r.Error(birthColumn, Cells.Date(b), $"与身份证件号不一致（证件号表示{Cells.Date(ib)}）", "出生日期与身份证件号不一致");
        return id;
    }

    /// <summary>First row of each key seen so far (by 64-bit hash): duplicates name the earlier row.</summary>
    protected static bool Duplicate(Dictionary<ulong, int> seen, string key, int row, out int firstRow)
    {
        var h = Cells.Hash(key);
        if (seen.TryGetValue(h, out firstRow)) return true;
        seen[h] = row;
        return false;
    }

    protected static string Q(string name) => SqlNames.Quote(name);

    protected string Table<T>() => SqlNames.Table<T>(Db);
}

/// <summary>
/// A roster that can be checked and written in one read of the file (SQLite): each row that passes goes to a writer
/// on another thread while the next rows are checked; the first error stops the writer, the check goes on to report
/// every problem, and the transaction is rolled back.
/// </summary>
internal interface ISinglePassImport
{
    /// <summary>Validates one row like <see cref="EntityHandler.Validate"/>; returns what the writer needs, or null when the row has errors.</summary>
    object? Check(RowReader r);
    /// <summary>On the checking thread, once the file's size is estimated: room for that many rows in the checks' tables.</summary>
    void ExpectRows(long rows);
    /// <summary>Prepares the writer; <paramref name="expectedRows"/> is exact for small files, estimated from the bytes read for big ones.</summary>
    Task BeginStreamAsync(DbTransaction tx, long expectedRows, CancellationToken ct);
    ValueTask WriteRowAsync(object checkedRow, CancellationToken ct);
}

/// <summary>
/// Executes the same few statements for many rows inside the import's transaction: prepared commands on SQLite,
/// batches of commands (one round trip per batch) where the provider supports <see cref="DbBatch"/> (PostgreSQL).
/// </summary>
internal sealed class SqlRowWriter : IAsyncDisposable
{
    private readonly DbConnection _conn;
    private readonly DbTransaction _tx;
    private readonly string[] _sql;
    private readonly DbCommand[]? _prepared;
    private DbBatch? _batch;
    private const int BatchSize = 1000;

    public SqlRowWriter(DbTransaction tx, params string[] sql)
    {
        _tx = tx;
        _conn = tx.Connection!;
        _sql = sql;
        if (!_conn.CanCreateBatch)
        {
            _prepared = new DbCommand[sql.Length];
            for (var i = 0; i < sql.Length; i++)
            {
                var c = _conn.CreateCommand();
                c.Transaction = tx;
                c.CommandText = sql[i];
                _prepared[i] = c;
            }
        }
    }

    /// <summary>Runs statement <paramref name="index"/> with parameters @p0, @p1 … bound to <paramref name="values"/>.</summary>
    public async ValueTask ExecuteAsync(int index, params object?[] values)
    {
        if (_prepared is not null)
        {
            var c = _prepared[index];
            if (c.Parameters.Count == 0)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    var p = c.CreateParameter();
                    p.ParameterName = "@p" + i;
                    p.Value = values[i] ?? DBNull.Value;
                    c.Parameters.Add(p);
                }
                c.Prepare();
            }
            else
                for (var i = 0; i < values.Length; i++) c.Parameters[i].Value = values[i] ?? DBNull.Value;
            c.ExecuteNonQuery();
            return;
        }
        _batch ??= NewBatch();
        var bc = _batch.CreateBatchCommand();
        bc.CommandText = _sql[index];
        for (var i = 0; i < values.Length; i++)
        {
            var p = bc.CreateParameter();
            p.ParameterName = "p" + i;
            p.Value = values[i] ?? DBNull.Value;
            bc.Parameters.Add(p);
        }
        _batch.BatchCommands.Add(bc);
        if (_batch.BatchCommands.Count >= BatchSize) await FlushAsync();
    }

    private DbBatch NewBatch()
    {
        var b = _conn.CreateBatch();
        b.Transaction = _tx;
        return b;
    }

    public async Task FlushAsync()
    {
        if (_batch is null || _batch.BatchCommands.Count == 0) return;
        await _batch.ExecuteNonQueryAsync();
        await _batch.DisposeAsync();
        _batch = null;
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync();
        if (_prepared is not null) foreach (var c in _prepared) await c.DisposeAsync();
    }

    /// <summary>One statement returning one value (e.g. INSERT … RETURNING "Id").</summary>
    public static async Task<long> ScalarAsync(DbTransaction tx, string sql, CancellationToken ct, params object?[] values)
    {
        await using var c = Command(tx, sql, values);
        return Convert.ToInt64(await c.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One statement outside the row loop.</summary>
    public static async Task<int> RunAsync(DbTransaction tx, string sql, CancellationToken ct, params object?[] values)
    {
        await using var c = Command(tx, sql, values);
        return await c.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A command in the import's transaction with positional parameters @p0, @p1, ….</summary>
    private static DbCommand Command(DbTransaction tx, string sql, object?[] values)
    {
        var c = tx.Connection!.CreateCommand();
        c.Transaction = tx;
        c.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var p = c.CreateParameter();
            p.ParameterName = "@p" + i;
            p.Value = values[i] ?? DBNull.Value;
            c.Parameters.Add(p);
        }
        return c;
    }
}
