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
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
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
                    Take(batch);
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

    /// <summary>
    /// Moves the next writes into <paramref name="batch"/>, at most one per operation: a second write of an operation
    /// already in the batch stays queued, in order, for the next flush (so an operation's writes commit in the order
    /// they were made, and a set statement never sees an operation twice). Writes cancelled by their callers are dropped.
    /// </summary>
    private void Take(List<Item> batch)
    {
        _taken.Clear();
        for (var n = _queue.Count; n > 0; n--)
        {
            var item = _queue.Dequeue();
            if (batch.Count >= MaxBatch || _taken.Contains(item.Write.OperationId)) _queue.Enqueue(item);
            else if (item.TryTake())
            {
                batch.Add(item);
                _taken.Add(item.Write.OperationId);
            }
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
            var statements = Plan(batch);
            await using (var command = new NpgsqlBatch(connection))
            {
                var now = clock();
                foreach (var members in statements) command.BatchCommands.Add(Statement(batch, members, now));
                // Without a transaction of its own, the batch is one implicit transaction that commits at its end:
                // when the reader is done, the commit (synchronous_commit=on) has been acknowledged.
                await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
                var held = new HashSet<string>(StringComparer.Ordinal);
                for (var s = 0; s < statements.Count; s++)
                {
                    if (s > 0) await reader.NextResultAsync().ConfigureAwait(false);
                    var members = statements[s];
                    if (members.Count == 1)
                    {
                        accepted[members[0]] = await reader.ReadAsync().ConfigureAwait(false);
                        continue;
                    }
                    held.Clear();
                    while (await reader.ReadAsync().ConfigureAwait(false)) held.Add(reader.GetString(0));
                    foreach (var i in members) accepted[i] = held.Contains(batch[i].Write.OperationId);
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

    /// <summary>
    /// The batch's statements, each as the indexes of the writes it carries: one per kind of write, in the order of each
    /// kind's first write. The batch is in seq order, so the flush's first lock is its lowest seq, and a batch that locks
    /// in seq order (the heartbeat) waits for this one before it holds any row this one needs.
    /// </summary>
    private static List<List<int>> Plan(List<Item> batch)
    {
        var statements = new List<List<int>>();
        var kinds = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            if (!kinds.TryGetValue(batch[i].Write.SetSql, out var members))
            {
                members = [];
                kinds[batch[i].Write.SetSql] = members;
                statements.Add(members);
            }
            members.Add(i);
        }
        return statements;
    }

    /// <summary>One write alone, or the set form of several with each parameter bound as an array (one element per write).</summary>
    private static NpgsqlBatchCommand Statement(List<Item> batch, List<int> members, object now)
    {
        var first = batch[members[0]].Write;
        var statement = new NpgsqlBatchCommand(members.Count == 1 ? first.Sql : first.SetSql);
        statement.Parameters.Add(new NpgsqlParameter("clock", NpgsqlDbType.TimestampTz) { Value = now });
        for (var j = 0; j < first.Parameters.Length; j++)
        {
            var (name, value, type) = first.Parameters[j];
            statement.Parameters.Add(members.Count == 1
                ? new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value }
                : new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = Column(batch, members, j, type) });
        }
        return statement;
    }

    /// <summary>Parameter <paramref name="j"/> of every member write, as a typed array (nulls kept).</summary>
    private static Array Column(List<Item> batch, List<int> members, int j, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Text or NpgsqlDbType.Json => Strings(batch, members, j),
        NpgsqlDbType.Bigint => Values<long>(batch, members, j),
        NpgsqlDbType.Integer => Values<int>(batch, members, j),
        NpgsqlDbType.TimestampTz => Values<DateTimeOffset>(batch, members, j),
        _ => throw new NotSupportedException($"A set write cannot bind a {type} parameter."),
    };

    private static string?[] Strings(List<Item> batch, List<int> members, int j)
    {
        var values = new string?[members.Count];
        for (var k = 0; k < members.Count; k++) values[k] = (string?)batch[members[k]].Write.Parameters[j].Value;
        return values;
    }

    private static T?[] Values<T>(List<Item> batch, List<int> members, int j) where T : struct
    {
        var values = new T?[members.Count];
        for (var k = 0; k < members.Count; k++) values[k] = (T?)batch[members[k]].Write.Parameters[j].Value;
        return values;
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
