using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using EduBureau.Core.Audit;
using EduBureau.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Primitives;

namespace EduBureau.Core.Data;

/// <summary>
/// One signal for "the data behind cached figures changed". Cache entries built from data take <see cref="Token"/> as
/// an expiration token; nobody calls <see cref="Signal"/> by hand: a host that caches hands one instance to its
/// contexts through <see cref="DatabaseOptions.Changes"/>, and every context opened with those options signals by
/// itself once a write has committed (see <see cref="DataChangeInterceptor"/>). The web app registers one singleton;
/// the CLI has no caches and passes none.
/// </summary>
public sealed class DataChanges
{
    private CancellationTokenSource _source = new();

    public DataChanges() => Interceptor = new DataChangeInterceptor(this);

    /// <summary>Expires at the next <see cref="Signal"/>.</summary>
    public IChangeToken Token => new CancellationChangeToken(Volatile.Read(ref _source).Token);

    /// <summary>The interceptor <see cref="Database.Configure"/> adds to contexts opened with these changes.</summary>
    internal DataChangeInterceptor Interceptor { get; }

    /// <summary>Expires everything cached from data. Called by <see cref="DataChangeInterceptor"/> and <see cref="BulkWriter"/>.</summary>
    public void Signal()
    {
        var old = Interlocked.Exchange(ref _source, new CancellationTokenSource());
        old.Cancel();
        old.Dispose();
    }

    private long _accounts;

    /// <summary>
    /// Raised after a committed write of accounts through a context of this process (not data, so no
    /// <see cref="Signal"/>): what a page shows of the accounts (the 开通向导 notice) is kept no longer than that.
    /// </summary>
    public long Accounts => Interlocked.Read(ref _accounts);

    internal void AccountsChanged() => Interlocked.Increment(ref _accounts);

    /// <summary>
    /// Writes that change nothing a page shows from cache: job bookkeeping (queue, progress ticks, results), the
    /// audit log and accounts (every sign-in writes its attempt count and time; no cached figure is computed from
    /// accounts, and flushing the county's caches at each login would defeat them). A save or a bulk command that
    /// touches only these does not signal.
    /// </summary>
    public static bool IsBookkeeping(Type entity) => entity == typeof(Job) || entity == typeof(AuditEntry) || entity == typeof(Security.AppUser)
        || entity == typeof(Figures.StoredFigure) || entity == typeof(Figures.DataStamp);
}

/// <summary>
/// Signals <see cref="DataChanges"/> after a committed write: a <c>SaveChanges</c> outside a transaction (its own
/// transaction has committed by then), a raw or bulk command (<c>ExecuteSql</c>, <c>ExecuteUpdate</c>,
/// <c>ExecuteDelete</c>) outside a transaction, and the commit of an explicit transaction: a transaction is begun
/// to write (imports also write through their connection directly, which no interceptor sees). A rolled-back or
/// abandoned transaction never signals; neither does a write of bookkeeping only (<see cref="DataChanges.IsBookkeeping"/>).
/// </summary>
/// <remarks>
/// It also raises the data version (<see cref="Figures.DataStamp"/>) that stored figures are checked against, inside the
/// writing transaction (<see cref="TransactionCommitting"/>), so every context has it, with or without a
/// <see cref="DataChanges"/> to tell: the CLI's imports make the web app's stored figures stale too. A write outside
/// any transaction (a raw <c>ExecuteUpdate</c>) raises it right after.
/// </remarks>
internal sealed partial class DataChangeInterceptor(DataChanges? changes) : ISaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    /// <summary>The interceptor of contexts whose host keeps no caches (the CLI): versions only, nobody to tell.</summary>
    public static DataChangeInterceptor VersionOnly { get; } = new(null);

    /// <summary>Per context: inside SaveChanges (whose own transaction the save's outcome decides), and whether it writes data.</summary>
    private sealed class SaveState
    {
        public bool Saving;
        public bool WritesData;
        /// <summary>The open transaction applies migrations (the version table may not exist yet).</summary>
        public bool Migrating;
        /// <summary>A save wrote accounts; told when that write commits (<see cref="DataChanges.Accounts"/>).</summary>
        public bool AccountsPending;
    }

    internal const string BumpSql = "UPDATE \"DataStamps\" SET \"Version\" = \"Version\" + 1, \"ChangedUtc\" = @now WHERE \"Id\" = 1";

    /// <summary>Databases (by connection string) known to have the version table; a database not yet migrated to it has none.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> HasStampTable = new();

    /// <summary>Raises the data version on <paramref name="connection"/> (in <paramref name="transaction"/> when given).</summary>
    internal static void Bump(DbConnection connection, DbTransaction? transaction)
    {
        if (!StampTableExists(connection, transaction)) return;
        using var cmd = BumpCommand(connection, transaction);
        cmd.ExecuteNonQuery();
    }

    internal static async Task BumpAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (!StampTableExists(connection, transaction)) return;
        await using var cmd = BumpCommand(connection, transaction);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A database written before its migrations ran (an upgrade in progress, a test at an old schema) has no version
    /// table yet: nothing is stored against it then. Checked once per database, remembered once it exists.
    /// </summary>
    private static bool StampTableExists(DbConnection connection, DbTransaction? transaction)
    {
        var key = connection.ConnectionString;
        if (HasStampTable.ContainsKey(key)) return true;
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = connection is Microsoft.Data.Sqlite.SqliteConnection
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'DataStamps'"
            : "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = 'DataStamps' AND schemaname = current_schema()";
        var exists = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        if (exists) HasStampTable[key] = true;
        return exists;
    }

    private static DbCommand BumpCommand(DbConnection connection, DbTransaction? transaction)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = BumpSql;
        var now = cmd.CreateParameter();
        now.ParameterName = "@now";
        now.Value = DateTime.UtcNow;
        cmd.Parameters.Add(now);
        return cmd;
    }

    private readonly ConditionalWeakTable<DbContext, SaveState> _states = [];

    // ---- SaveChanges ----

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => EndSave(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        EndSave(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => EndSave(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        EndSave(eventData.Context);
        return Task.CompletedTask;
    }

    private void Saving(DbContext? context)
    {
        if (context is null) return;
        var state = _states.GetOrCreateValue(context);
        state.Saving = true;
        state.WritesData = context.ChangeTracker.Entries()
            .Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && !DataChanges.IsBookkeeping(e.Metadata.ClrType));
        // A data save always gets a transaction (EF skips it for a single statement), so its commit raises the version
        // atomically with the write.
        if (state.WritesData) context.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        if (changes is not null && context.ChangeTracker.Entries<Security.AppUser>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
            state.AccountsPending = true;
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_states.TryGetValue(context, out var state)) return;
        var writesData = state.WritesData;
        EndSave(context);
        if (state.AccountsPending && context.Database.CurrentTransaction is null)
        {
            state.AccountsPending = false;
            changes?.AccountsChanged();
        }
        // Inside an explicit transaction the commit signals (and a rollback must not). A data save always has a
        // transaction (SavingChanges sets AutoTransactionBehavior.Always), whose commit raised the version already.
        if (writesData && context.Database.CurrentTransaction is null) changes?.Signal();
    }

    private void EndSave(DbContext? context)
    {
        if (context is not null && _states.TryGetValue(context, out var state)) state.Saving = state.WritesData = false;
    }

    // ---- Transactions ----

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (MustBump(eventData.Context)) Bump(transaction.Connection!, transaction);
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        if (MustBump(eventData.Context)) await BumpAsync(transaction.Connection!, transaction, cancellationToken);
        return result;
    }

    /// <summary>A committing transaction wrote data, unless it is SaveChanges' own for bookkeeping only, or a migration's.</summary>
    private bool MustBump(DbContext? context)
    {
        if (context is null || !_states.TryGetValue(context, out var state)) return true;
        if (state.Migrating) return false;
        return !state.Saving || state.WritesData;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => EndTransaction(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        EndTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    private void EndTransaction(DbContext? context)
    {
        if (context is not null && _states.TryGetValue(context, out var state)) state.Migrating = state.AccountsPending = false;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _states.TryGetValue(context, out var state))
        {
            var migrating = state.Migrating;
            state.Migrating = false;
            if (state.AccountsPending && !state.Saving)
            {
                state.AccountsPending = false;
                changes?.AccountsChanged();
            }
            // SaveChanges' own transaction: the save decides (it may have written bookkeeping only).
            if (state.Saving || migrating) return;
        }
        changes?.Signal();
    }

    // ---- Raw and bulk commands ----

    /// <summary>Marks a context applying migrations (or creating the schema): its transactions raise no version.</summary>
    public DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        if (eventData.CommandSource == CommandSource.Migrations && eventData.Context is { } context)
            _states.GetOrCreateValue(context).Migrating = true;
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Executed(command, eventData);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Executed(command, eventData);
        return ValueTask.FromResult(result);
    }

    private void Executed(DbCommand command, CommandExecutedEventData eventData)
    {
        // SaveChanges' commands are judged by the save; migrations change the schema, not data pages show.
        if (eventData.CommandSource is CommandSource.SaveChanges or CommandSource.Migrations) return;
        // Inside a transaction the commit signals.
        if (command.Transaction is not null || eventData.Context?.Database.CurrentTransaction is not null) return;
        if (WritesData(command.CommandText, eventData.Context))
        {
            Bump(command.Connection!, null);
            changes?.Signal();
        }
    }

    /// <summary>A data-changing statement (not PRAGMA, SET, SELECT) whose target is not a bookkeeping table.</summary>
    private static bool WritesData(string sql, DbContext? context)
    {
        var m = WriteStatement().Match(sql);
        if (!m.Success) return false;
        var table = m.Groups["table"].Value;
        return context is null || !context.Model.GetEntityTypes()
            .Any(t => DataChanges.IsBookkeeping(t.ClrType) && string.Equals(t.GetTableName(), table, StringComparison.OrdinalIgnoreCase));
    }

    // The first statement after leading comments (TagWith): INSERT INTO / UPDATE / DELETE FROM / MERGE INTO / TRUNCATE [TABLE] "table".
    [GeneratedRegex("""^(?:\s|--[^\n]*\n)*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+"?(?<table>[^\s"(]+)"?""",
        RegexOptions.IgnoreCase)]
    private static partial Regex WriteStatement();
}
