using System.Threading.Channels;
using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

/// <summary>
/// The one writer path: every write is queued and executed by a single connection, many writes to one
/// <c>BEGIN IMMEDIATE … COMMIT</c> (group commit). Durability stays <c>synchronous=FULL</c>; the fsync is shared.
/// When a batch fails, its writes are retried one transaction each, so one bad write fails alone.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 1024;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly IStoreNotifier _notifier;
    private readonly Task _loop;

    public SqliteWriter(string connectionString, IStoreNotifier notifier)
    {
        _notifier = notifier;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;";
            pragma.ExecuteNonQuery();
        }
        _loop = Task.Factory.StartNew(LoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public Task<T> ExecuteAsync<T>(Func<WriteScope, T> work, CancellationToken cancellationToken)
    {
        var item = new WriteItem<T>(work, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
        return item.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var command in _commands.Values) command.Dispose();
        _connection.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<WriteItem>(MaxBatch);
        var scope = new WriteScope(this);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                if (!item.IsCancelled) batch.Add(item);
            }
            if (batch.Count == 0) continue;
            try
            {
                Exec("BEGIN IMMEDIATE");
                foreach (var item in batch) item.Run(scope);
                Exec("COMMIT");
            }
            catch (Exception ex)
            {
                TryRollback();
                if (batch.Count == 1)
                {
                    batch[0].Fail(ex);
                    batch.Clear();
                }
                else
                {
                    RunOneByOne(batch, scope);
                }
            }
            foreach (var item in batch) item.Succeed(_notifier);
        }
    }

    /// <summary>After a failed batch: each write in its own transaction, in submission order; failures are reported and dropped from the batch.</summary>
    private void RunOneByOne(List<WriteItem> batch, WriteScope scope)
    {
        for (var i = 0; i < batch.Count;)
        {
            var item = batch[i];
            try
            {
                Exec("BEGIN IMMEDIATE");
                item.Run(scope);
                Exec("COMMIT");
                i++;
            }
            catch (Exception ex)
            {
                TryRollback();
                item.Fail(ex);
                batch.RemoveAt(i);
            }
        }
    }

    private void TryRollback()
    {
        try
        {
            Exec("ROLLBACK");
        }
        catch (SqliteException)
        {
            // No transaction was open.
        }
    }

    private void Exec(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>A cached, prepared command with its parameters cleared.</summary>
    internal SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Parameters.Clear();
        return command;
    }

    private abstract class WriteItem
    {
        public abstract bool IsCancelled { get; }

        public abstract void Run(WriteScope scope);

        public abstract void Succeed(IStoreNotifier notifier);

        public abstract void Fail(Exception ex);
    }

    private sealed class WriteItem<T>(Func<WriteScope, T> work, CancellationToken cancellationToken) : WriteItem
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(StoreNotificationKind, string?)> _notifications = [];
        private T? _result;

        public Task<T> Task => _tcs.Task;

        public override bool IsCancelled
        {
            get
            {
                if (!cancellationToken.IsCancellationRequested) return false;
                _tcs.TrySetCanceled(cancellationToken);
                return true;
            }
        }

        public override void Run(WriteScope scope)
        {
            _notifications.Clear();
            scope.Notifications = _notifications;
            _result = work(scope);
        }

        public override void Succeed(IStoreNotifier notifier)
        {
            foreach (var (kind, id) in _notifications)
            {
                try
                {
                    notifier.Publish(kind, id);
                }
                catch (Exception)
                {
                    // A notification is only a hint: a failing listener must not stop the one writer or lose this result.
                }
            }
            _tcs.TrySetResult(_result!);
        }

        public override void Fail(Exception ex) => _tcs.TrySetException(ex);
    }
}
