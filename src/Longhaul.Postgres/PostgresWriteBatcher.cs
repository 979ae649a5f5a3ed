using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

/// <summary>
/// Group commit of the fenced worker writes (Record, AppendOutput, Complete) of many operations: a write that arrives
/// while no flush runs goes out at once; writes that arrive during a flush are queued and the next flush sends them
/// all as one <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction, one commit). Each statement's rows
/// tell its own caller whether the lease held. A caller's task completes only after the commit that contains its
/// write, and its notification is published after that commit. A caller cancelled before a flush takes its write
/// never writes it. When the batch fails on the server (deadlock, serialization, a constraint in one write), nothing
/// of it was committed and its writes are run again one transaction each, so one bad write fails alone.
/// </summary>
internal sealed class PostgresWriteBatcher(
    NpgsqlDataSource dataSource,
    IStoreNotifier notifier,
    Func<object> clock,
    Func<PostgresFencedWrite, CancellationToken, Task<bool>> writeAlone)
{
    /// <summary>At most this many writes share one batch.</summary>
    internal const int MaxBatch = 256;

    private readonly Lock _gate = new();
    private readonly Queue<Item> _queue = new();
    private bool _flushing;

    public Task<bool> WriteAsync(PostgresFencedWrite write, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
        var item = new Item(write, cancellationToken);
        bool start;
        lock (_gate)
        {
            _queue.Enqueue(item);
            start = !_flushing;
            _flushing = true;
        }
        // The first write runs the flush loop on its own call up to the first wait (no thread hop when idle).
        if (start) _ = FlushLoopAsync();
        return item.Task;
    }

    private async Task FlushLoopAsync()
    {
        NpgsqlConnection? connection = null;
        var batch = new List<Item>();
        try
        {
            while (true)
            {
                batch.Clear();
                lock (_gate)
                {
                    while (batch.Count < MaxBatch && _queue.TryDequeue(out var item))
                    {
                        if (item.TryTake()) batch.Add(item);
                    }
                    if (batch.Count == 0)
                    {
                        _flushing = false;
                        return;
                    }
                }
                connection = await FlushAsync(batch, connection).ConfigureAwait(false);
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes one batch; returns the connection to keep using (null when it was broken or never opened).</summary>
    private async Task<NpgsqlConnection?> FlushAsync(List<Item> batch, NpgsqlConnection? connection)
    {
        // Rows are locked in seq order, as the heartbeat and claim batches lock theirs: batches cannot deadlock them.
        batch.Sort(static (a, b) => a.Write.OrderKey != b.Write.OrderKey
            ? a.Write.OrderKey.CompareTo(b.Write.OrderKey)
            : string.CompareOrdinal(a.Write.OperationId, b.Write.OperationId));
        var accepted = new bool[batch.Count];
        try
        {
            connection ??= await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using (var command = new NpgsqlBatch(connection))
            {
                var now = clock();
                foreach (var item in batch)
                {
                    var statement = new NpgsqlBatchCommand(item.Write.Sql);
                    statement.Parameters.Add(new NpgsqlParameter("clock", NpgsqlDbType.TimestampTz) { Value = now });
                    foreach (var p in item.Write.Parameters) statement.Parameters.Add(new NpgsqlParameter(p.Name, p.Type) { Value = p.Value ?? DBNull.Value });
                    command.BatchCommands.Add(statement);
                }
                // Without a transaction of its own, the batch is one implicit transaction that commits at its end:
                // when the reader is done, the commit (synchronous_commit=on) has been acknowledged.
                await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (i > 0) await reader.NextResultAsync().ConfigureAwait(false);
                    accepted[i] = await reader.ReadAsync().ConfigureAwait(false);
                }
                while (await reader.NextResultAsync().ConfigureAwait(false))
                {
                }
            }
        }
        catch (PostgresException)
        {
            // The server rolled the whole batch back: nothing of it is visible. Each write again, alone.
            foreach (var item in batch) await RunAloneAsync(item).ConfigureAwait(false);
            return connection;
        }
#pragma warning disable CA1031 // Any other failure (connection lost, pool timeout, disposal) is each caller's to see, as today.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var item in batch) item.Fail(ex);
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i].Write;
            if (accepted[i] && write.NotifyChanged) notifier.Publish(StoreNotificationKind.OperationChanged, write.OperationId);
        }
        for (var i = 0; i < batch.Count; i++) batch[i].Succeed(accepted[i]);
        return connection;
    }

    private async Task RunAloneAsync(Item item)
    {
        try
        {
            item.Succeed(await writeAlone(item.Write, item.CancellationToken).ConfigureAwait(false));
        }
#pragma warning disable CA1031 // Reported to the write's own caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            item.Fail(ex);
        }
    }

    private sealed class Item
    {
        private const int Queued = 0, Taken = 1, Cancelled = 2;
        private readonly TaskCompletionSource<bool> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _registration;
        private int _state;

        public Item(PostgresFencedWrite write, CancellationToken cancellationToken)
        {
            Write = write;
            CancellationToken = cancellationToken;
            if (cancellationToken.CanBeCanceled) _registration = cancellationToken.UnsafeRegister(static s => ((Item)s!).Cancel(), this);
        }

        public PostgresFencedWrite Write { get; }

        public CancellationToken CancellationToken { get; }

        public Task<bool> Task => _tcs.Task;

        /// <summary>True when the flusher may write this item: its caller had not cancelled it before.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public void Succeed(bool accepted)
        {
            _registration.Dispose();
            _tcs.TrySetResult(accepted);
        }

        public void Fail(Exception ex)
        {
            _registration.Dispose();
            if (ex is OperationCanceledException oce && CancellationToken.IsCancellationRequested) _tcs.TrySetCanceled(oce.CancellationToken);
            else _tcs.TrySetException(ex);
        }

        private void Cancel()
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued) _tcs.TrySetCanceled(CancellationToken);
        }
    }
}
