using System.Data.Common;
using System.Threading.Channels;

namespace EduBureau.Core.Imports;

/// <summary>
/// Checked rows handed from the checking thread to one writer task (single-pass import). The importer starts the
/// writer once <see cref="StartAfter"/> rows have passed, so it knows roughly how big the file is (whether to defer
/// indexes); smaller files start it at the end. A writer failure cancels the checking side and surfaces from <see cref="AddAsync"/>
/// or <see cref="CompleteAsync"/>; disposing stops a writer that is still running (the caller then rolls back).
/// </summary>
internal sealed class RowPipe : IAsyncDisposable
{
    public const int StartAfter = 4096;
    private readonly Channel<object> _rows = Channel.CreateBounded<object>(
        new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ISinglePassImport _handler;
    private readonly DbTransaction _tx;
    private readonly CancellationToken _outer;
    private readonly CancellationTokenSource _cts;
    private Task? _writer;

    public RowPipe(ISinglePassImport handler, DbTransaction tx, CancellationToken ct)
    {
        (_handler, _tx, _outer) = (handler, tx, ct);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
    }

    public async ValueTask AddAsync(object row)
    {
        if (_cts.IsCancellationRequested) _outer.ThrowIfCancellationRequested();
        try
        {
            await _rows.Writer.WriteAsync(row, _cts.Token);
        }
        catch (OperationCanceledException) when (_writer is not null && !_outer.IsCancellationRequested)
        {
            await _writer; // the writer failed: its own exception, not the cancellation
            throw;
        }
    }

    /// <summary>The file has an error: write nothing more (the transaction will be rolled back).</summary>
    public void Stop() => _cts.Cancel();

    /// <summary>Every row has passed: let the writer finish them.</summary>
    public async Task CompleteAsync(long rows)
    {
        _rows.Writer.Complete();
        Start(rows);
        if (_writer is null) _outer.ThrowIfCancellationRequested(); // only a cancelled import leaves it unstarted
        await _writer!;
    }

    /// <summary>Starts the writer once (after <see cref="StartAfter"/> rows, or at the end); nothing once stopped.</summary>
    public void Start(long expectedRows)
    {
        if (_writer is not null || _cts.IsCancellationRequested) return;
        var token = _cts.Token;
        _writer = Task.Run(async () =>
        {
            try
            {
                await _handler.BeginStreamAsync(_tx, expectedRows, token);
                await foreach (var row in _rows.Reader.ReadAllAsync(token))
                    await _handler.WriteRowAsync(row, token);
            }
            catch
            {
                _cts.Cancel();
                throw;
            }
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is { IsCompleted: false })
        {
            _cts.Cancel();
            try { await _writer; }
            catch (Exception) { /* the import already failed or was stopped; the transaction is rolled back */ }
        }
        _cts.Dispose();
    }
}
