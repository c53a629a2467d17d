using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Figures;

/// <summary>
/// One kind of stored figure: how it is computed for the whole database (a system context, no scope) for one school
/// year. Pages cut the result to the user's unit when serving; the cut lives with the feature (ADR 0012).
/// </summary>
public abstract class FigureKind(string code, string name)
{
    /// <summary>Stored in <see cref="StoredFigure.Kind"/>; never change it once rows exist.</summary>
    public string Code { get; } = code;
    /// <summary>In Chinese, for the recompute job and the CLI (指标, 控辍保学疑似名单 …).</summary>
    public string Name { get; } = name;
    internal abstract Task<object> ComputeAsync(EduDbContext system, int year, CancellationToken ct);
    internal abstract byte[] Pack(object value);
    internal abstract object Unpack(byte[] body);
}

/// <inheritdoc />
public sealed class FigureKind<T>(string code, string name, Func<EduDbContext, int, CancellationToken, Task<T>> compute) : FigureKind(code, name)
    where T : class
{
    // Scores carry NaN for "no value" (ExamData): written as the literal "NaN".
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    internal override async Task<object> ComputeAsync(EduDbContext system, int year, CancellationToken ct) => await compute(system, year, ct);

    internal override byte[] Pack(object value)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) JsonSerializer.Serialize(gz, (T)value, Json);
        return ms.ToArray();
    }

    internal override object Unpack(byte[] body)
    {
        using var gz = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<T>(gz, Json) ?? throw new InvalidDataException($"保存的{Name}为空");
    }
}

/// <summary>A stored figure as a page shows it: the value and when, by whom and in how long it was computed.</summary>
public sealed record Figure<T>(T Value, long Version, DateTime ComputedUtc, string ComputedBy, int DurationMs)
{
    /// <summary>The same figure's value cut or shaped for a reader (its scope), with the same computed time.</summary>
    public Figure<TOut> Map<TOut>(Func<T, TOut> f) => new(f(Value), Version, ComputedUtc, ComputedBy, DurationMs);
}

/// <summary>
/// Figures computed once per change of the data, not once per request (#16, ADR 0012). A read compares the stored row's
/// version with the database's <see cref="DataStamp"/>: equal, it is served (from memory after the first read, else
/// unpacked from its row); otherwise it is computed once for everyone waiting (one computation per kind and year at a
/// time in this process), stored, and served. The web app also refreshes the figures it has served after every change
/// (<see cref="RefreshAsync"/>), so a reader rarely waits. Rows survive restarts; a restarted app serves them without
/// computing anything.
/// </summary>
public sealed class FigureStore(DatabaseOptions options, TimeProvider? clock = null)
{
    private sealed record Entry(long Version, DateTime ComputedUtc, string ComputedBy, int DurationMs, object Value);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(string Kind, int Year), Entry> _latest = new();
    private readonly ConcurrentDictionary<(string Kind, int Year), Lazy<Task<Entry>>> _running = new();
    private readonly ConcurrentDictionary<(string Kind, int Year), FigureKind> _served = new();

    /// <summary>Who a computation after a change is recorded as.</summary>
    public const string Background = "数据变更后自动计算";

    /// <summary>The database's data version; null when it has no <see cref="DataStamp"/> row (then nothing is stored).</summary>
    public static Task<long?> VersionAsync(EduDbContext db, CancellationToken ct = default) =>
        VersionQueries.GetOrAdd(db.Model, _ => EF.CompileAsyncQuery((EduDbContext c, CancellationToken t) =>
            c.Set<DataStamp>().AsNoTracking().Where(s => s.Id == DataStamp.RowId).Select(s => (long?)s.Version).FirstOrDefault()))(db, ct);

    // Read several times by every page built on stored figures: compiled once, not translated per call (#16, dotnet-trace
    // put the LINQ version of this at a tenth of the dashboard's CPU). A compiled query belongs to one model, and the
    // SQLite and PostgreSQL models differ (tests use both in one process): one per model.
    private static readonly ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<EduDbContext, CancellationToken, Task<long?>>> VersionQueries = new();

    /// <summary>
    /// The current figure of <paramref name="kind"/> for <paramref name="year"/>: stored when current, else computed now
    /// (and stored). <paramref name="reader"/> only reads the version and the stored row (both unscoped).
    /// </summary>
    public async Task<Figure<T>> GetAsync<T>(FigureKind<T> kind, int year, EduDbContext reader, CancellationToken ct = default) where T : class
    {
        var key = (kind.Code, year);
        _served[key] = kind;
        var version = await VersionAsync(reader, ct);
        if (version is null) return Wrap<T>(await ComputeAsync(kind, year, "页面", store: false, ct));
        if (_latest.TryGetValue(key, out var e) && e.Version >= version) return Wrap<T>(e);

        var row = await reader.Set<StoredFigure>().AsNoTracking().Where(f => f.Kind == kind.Code && f.Year == year)
            .Select(f => new { Version = f.DataVersion, f.ComputedUtc, f.ComputedBy, f.DurationMs, f.Body }).FirstOrDefaultAsync(ct);
        if (row is not null && row.Version >= version)
        {
            try
            {
                var stored = Remember(key, new Entry(row.Version, DateTime.SpecifyKind(row.ComputedUtc, DateTimeKind.Utc), row.ComputedBy, row.DurationMs, kind.Unpack(row.Body)));
                return Wrap<T>(stored);
            }
            // A row written by an older build that no longer reads: compute it again.
            catch (Exception x) when (x is JsonException or InvalidDataException or NotSupportedException) { }
        }
        return Wrap<T>(await SharedAsync(kind, year, version.Value, "页面", ct));
    }

    /// <summary>Computes <paramref name="kind"/> for <paramref name="year"/> now, whether or not it is current (重新计算), and stores it.</summary>
    public async Task<Figure<T>> RecomputeAsync<T>(FigureKind<T> kind, int year, string by, CancellationToken ct = default) where T : class =>
        Wrap<T>(await SharedAsync(kind, year, long.MaxValue, by, ct));

    /// <inheritdoc cref="RecomputeAsync{T}"/>
    public async Task RecomputeAsync(FigureKind kind, int year, string by, CancellationToken ct = default) =>
        await SharedAsync(kind, year, long.MaxValue, by, ct);

    /// <summary>
    /// After a change: computes again every figure this process has served whose stored version is behind the data.
    /// Returns how many it computed.
    /// </summary>
    public async Task<int> RefreshAsync(CancellationToken ct = default)
    {
        long? version;
        await using (var db = Database.OpenSystem(options, "figures")) version = await VersionAsync(db, ct);
        if (version is null) return 0;
        var done = 0;
        foreach (var (key, kind) in _served.ToArray())
        {
            ct.ThrowIfCancellationRequested();
            if (_latest.TryGetValue(key, out var e) && e.Version >= version) continue;
            await SharedAsync(kind, key.Year, version.Value, Background, ct);
            done++;
        }
        return done;
    }

    /// <summary>
    /// One computation per kind and year at a time: a reader joins the one running, unless it started before the
    /// version this reader must see (then it waits for it and starts the next). Computations run to the end even if
    /// the reader that started them goes away.
    /// </summary>
    private async Task<Entry> SharedAsync(FigureKind kind, int year, long atLeast, string by, CancellationToken ct)
    {
        var key = (kind.Code, year);
        if (atLeast == long.MaxValue)
        {
            // 重新计算: a run already going may have read the data before this request; let it end, then run anew.
            if (_running.TryGetValue(key, out var going))
                try { await going.Value.WaitAsync(ct); } catch (Exception) when (!ct.IsCancellationRequested) { }
            return await JoinAsync(kind, year, by, ct);
        }
        while (true)
        {
            var e = await JoinAsync(kind, year, by, ct);
            if (e.Version >= atLeast) return e;
        }
    }

    private async Task<Entry> JoinAsync(FigureKind kind, int year, string by, CancellationToken ct)
    {
        var key = (kind.Code, year);
        Lazy<Task<Entry>>? mine = null;
        mine = new Lazy<Task<Entry>>(() => Task.Run(async () =>
        {
            try { return await ComputeAsync(kind, year, by, store: true, CancellationToken.None); }
            finally { _running.TryRemove(KeyValuePair.Create(key, mine!)); }
        }, CancellationToken.None));
        return await _running.GetOrAdd(key, mine).Value.WaitAsync(ct);
    }

    private async Task<Entry> ComputeAsync(FigureKind kind, int year, string by, bool store, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        Entry entry;
        await using (var db = Database.OpenSystem(options, "figures", _clock))
        {
            // The version first: a write committed while computing leaves this row behind the data (computed again).
            var version = await VersionAsync(db, ct) ?? 0;
            var value = await kind.ComputeAsync(db, year, ct);
            // Whole microseconds: what PostgreSQL keeps, so the time read back after a restart is the time shown now.
            var now = _clock.GetUtcNow().UtcDateTime;
            entry = new Entry(version, now.AddTicks(-(now.Ticks % 10)), by, (int)watch.ElapsedMilliseconds, value);
        }
        if (!store) return entry;
        try { await StoreAsync(kind, year, entry, ct); }
        catch (Exception x) when (x is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // Storing is an optimisation of the next read (an import may hold SQLite's write lock): serve what was computed.
        }
        return Remember((kind.Code, year), entry);
    }

    private async Task StoreAsync(FigureKind kind, int year, Entry entry, CancellationToken ct)
    {
        await using var db = Database.OpenSystem(options, "figures", _clock);
        var row = await db.Set<StoredFigure>().FirstOrDefaultAsync(f => f.Kind == kind.Code && f.Year == year, ct);
        if (row is null) db.Add(row = new StoredFigure { Kind = kind.Code, Year = year });
        else if (row.DataVersion > entry.Version) return;
        row.DataVersion = entry.Version;
        row.ComputedUtc = entry.ComputedUtc;
        row.ComputedBy = entry.ComputedBy.Length > 256 ? entry.ComputedBy[..256] : entry.ComputedBy;
        row.DurationMs = entry.DurationMs;
        row.Body = kind.Pack(entry.Value);
        await db.SaveChangesAsync(ct);
    }

    private Entry Remember((string, int) key, Entry entry)
    {
        var kept = _latest.AddOrUpdate(key, entry, (_, old) => old.Version > entry.Version ? old : entry);
        if (ReferenceEquals(kept, entry)) Interlocked.Increment(ref _generation);
        return kept;
    }

    private long _generation;

    /// <summary>
    /// Raised whenever a figure held here is replaced, also at the same data version (重新计算): pages kept whole
    /// (the web's page cache) include it in their key, so the "计算于" line they show is the latest.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    private static Figure<T> Wrap<T>(Entry e) where T : class => new((T)e.Value, e.Version, e.ComputedUtc, e.ComputedBy, e.DurationMs);
}
