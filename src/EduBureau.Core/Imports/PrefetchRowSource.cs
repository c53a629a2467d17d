using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace EduBureau.Core.Imports;

/// <summary>
/// Reads another <see cref="RowSource"/> ahead on its own thread, in batches of rows, so parsing a workbook's XML
/// overlaps with checking the rows already read (single-pass import: reading, checking and writing then share the
/// cores). A file error met ahead is thrown by <see cref="Read"/> when the consumer reaches it, as if unbuffered.
/// The inner source stays its owner's to dispose (after this one).
/// </summary>
internal sealed class PrefetchRowSource : RowSource
{
    private const int BatchRows = 256;
    private sealed class Batch
    {
        public readonly int[] Numbers = new int[BatchRows];
        public readonly string?[][] Cells = new string?[BatchRows][];
        /// <summary>Per row, the columns (below 64) whose cells were long numbers (<see cref="RowSource.IsLongNumber"/>).</summary>
        public readonly ulong[] LongNumbers = new ulong[BatchRows];
        public int Count;
        public long Position;
    }

    private readonly RowSource _inner;
    private readonly BlockingCollection<Batch> _queue = new(boundedCapacity: 16);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private readonly int _width;
    private Exception? _error;
    private Batch? _batch;
    private int _index;
    private long _position;

    public PrefetchRowSource(RowSource inner)
    {
        _inner = inner;
        SheetName = inner.SheetName;
        Headers = inner.Headers;
        _width = inner.Headers.Count;
        _producer = Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Produce()
    {
        var batch = new Batch();
        try
        {
            while (_inner.Read())
            {
                var cells = new string?[_width];
                var longNumbers = 0UL;
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = _inner.Get(i);
                    if (i < 64 && _inner.IsLongNumber(i)) longNumbers |= 1UL << i;
                }
                batch.LongNumbers[batch.Count] = longNumbers;
                batch.Numbers[batch.Count] = _inner.RowNumber;
                batch.Cells[batch.Count++] = cells;
                if (batch.Count == BatchRows)
                {
                    batch.Position = _inner.Position;
                    _queue.Add(batch, _stop.Token);
                    batch = new Batch();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
        catch (Exception e) { _error = e; } // thrown to the consumer after the rows read before it
        finally
        {
            try
            {
                batch.Position = _inner.Position;
                if (batch.Count > 0 && !_stop.IsCancellationRequested) _queue.Add(batch, _stop.Token);
            }
            catch (OperationCanceledException) { }
            _queue.CompleteAdding();
        }
    }

    public override long Position => _position;
    public override long Length => _inner.Length;

    public override bool Read()
    {
        while (_batch is null || _index >= _batch.Count)
        {
            if (!_queue.TryTake(out _batch, Timeout.Infinite))
            {
                _batch = null;
                if (_error is not null) ExceptionDispatchInfo.Throw(_error);
                return false;
            }
            _index = 0;
            _position = _batch.Position;
        }
        RowNumber = _batch.Numbers[_index];
        _currentLong = _batch.LongNumbers[_index];
        _current = _batch.Cells[_index++];
        return true;
    }

    private string?[] _current = [];
    private ulong _currentLong;

    public override bool IsLongNumber(int column) => column < 64 && (_currentLong & (1UL << column)) != 0;

    public override string? Get(int column) => column < _current.Length ? _current[column] : null;

    public override void Dispose()
    {
        _stop.Cancel();
        try { _producer.Wait(); } catch (AggregateException) { }
        _queue.Dispose();
        _stop.Dispose();
        base.Dispose();
    }
}
