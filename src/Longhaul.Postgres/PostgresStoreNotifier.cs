using System.Threading.Channels;
using Longhaul.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

/// <summary>
/// Cross-node wake-ups over LISTEN/NOTIFY. <see cref="Publish"/> (called after a commit) tells this process's listeners
/// at once and queues the notification for the other nodes, sent in batches off the write path, the ids of one kind
/// packed into few payloads. Two channels: work (new work, cancel requests), which nodes that run workers listen to and
/// which is sent at once, and changes (an operation changed), which nodes that serve the API listen to and which is sent
/// at most once per <see cref="ChangesInterval"/>, as every NOTIFY wakes every listening session of the database
/// (whatever its channels), and a busy worker changes operations thousands of times a second (<see cref="PostgresStoreOptions.ReceiveWorkNotifications"/>,
/// <see cref="PostgresStoreOptions.ReceiveChangeNotifications"/>). One dedicated connection per process listens, and
/// reconnects when it fails. A hint only: a lost notification costs latency, since every listener also polls.
/// </summary>
public sealed partial class PostgresStoreNotifier : BackgroundService, IStoreNotifier
{
    private const int MaxBatch = 1000;

    /// <summary>
    /// A batch of change notices follows the one before after at least this long: a busy worker sends a few larger
    /// batches rather than one small transaction per write, each of which wakes every listening session on the server
    /// (and each woken session runs a transaction to read the queue). It bounds the extra latency of a cross-node event
    /// stream; an idle node sends at once.
    /// </summary>
    internal static readonly TimeSpan ChangesInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Payloads stay well under NOTIFY's 8000-byte limit: ids of one kind are packed up to this length.</summary>
    private const int MaxPayloadLength = 7000;

    /// <summary>Between the ids packed in one payload; operation ids never contain it.</summary>
    private const char IdSeparator = ' ';
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly InProcessStoreNotifier _local = new();
    private readonly Channel<(StoreNotificationKind Kind, string? Id)> _workOutbox =
        Channel.CreateUnbounded<(StoreNotificationKind, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(StoreNotificationKind Kind, string? Id)> _changesOutbox =
        Channel.CreateUnbounded<(StoreNotificationKind, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _sender;
    private readonly string _listenConnectionString;
    private readonly string _workChannel;
    private readonly string _changesChannel;
    private readonly string[] _listenTo;
    private readonly string _nodeTag = Guid.NewGuid().ToString("N")[..8];
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresStoreNotifier> _logger;
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresStoreNotifier(PostgresStoreOptions options, TimeProvider time, ILogger<PostgresStoreNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _workChannel = PostgresCoordination.Channel(options.Schema);
        _changesChannel = PostgresCoordination.ChangesChannel(options.Schema);
        _listenTo = [
            .. options.ReceiveWorkNotifications ? new[] { _workChannel } : [],
            .. options.ReceiveChangeNotifications ? new[] { _changesChannel } : [],
        ];
        // One sender loop sends one batch at a time: one connection, which the node's connection budget counts.
        // Its session keeps no state (pg_notify only), so no DISCARD ALL before every batch unless the string asks.
        var sender = new NpgsqlConnectionStringBuilder(options.ConnectionString) { MaxPoolSize = 1, MinPoolSize = 0 };
        if (!PostgresOperationStore.Sets(options.ConnectionString, "NORESETONCLOSE")) sender.NoResetOnClose = true;
        _sender = NpgsqlDataSource.Create(sender.ConnectionString);
        // Its own session, never pooled: LISTEN belongs to the session. The keep-alive notices a dead server while idle.
        _listenConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false, KeepAlive = 10 }.ConnectionString;
        _time = time;
        _logger = logger;
    }

    public void Publish(StoreNotificationKind kind, string? operationId)
    {
        _local.Publish(kind, operationId);
        (kind == StoreNotificationKind.OperationChanged ? _changesOutbox : _workOutbox).Writer.TryWrite((kind, operationId));
    }

    public IDisposable Subscribe(Action<StoreNotificationKind, string?> listener) => _local.Subscribe(listener);

    /// <summary>The channels this node listens to (none, one or both), in the order it runs LISTEN; for tests.</summary>
    internal IReadOnlyList<string> ListenChannels => _listenTo;

    /// <summary>Completes once the current listening connection has run LISTEN (a new one after each failure); for tests.</summary>
    internal Task Listening => Volatile.Read(ref _listening).Task;

    public override void Dispose()
    {
        _sender.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        ListenAsync(stoppingToken), SendAsync(_workOutbox.Reader, TimeSpan.Zero, stoppingToken), SendAsync(_changesOutbox.Reader, ChangesInterval, stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var channels = string.Join(", ", _listenTo);
        if (_listenTo.Length == 0)
        {
            // Neither kind is wanted here: send only.
            Volatile.Read(ref _listening).TrySetResult();
            return;
        }
        var reconnect = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                foreach (var channel in _listenTo)
                {
                    await using var listen = new NpgsqlCommand(PostgresCoordination.Listen(channel), connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }
                Volatile.Read(ref _listening).TrySetResult();
                if (reconnect)
                {
                    LogReconnected(channels);
                    // Whatever was sent while deaf is lost: wake the workers once so they look now rather than at the next poll.
                    _local.Publish(StoreNotificationKind.WorkAvailable, null);
                }
                else
                {
                    LogListening(channels);
                }
                while (true) await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(ex, ReconnectDelay.TotalSeconds);
                reconnect = true;
                if (Listening.IsCompleted) Volatile.Write(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                try
                {
                    await Task.Delay(ReconnectDelay, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One sender loop per outbox; the two share the sender's one connection.</summary>
    private async Task SendAsync(ChannelReader<(StoreNotificationKind Kind, string? Id)> reader, TimeSpan interval, CancellationToken stoppingToken)
    {
        var pending = new List<(StoreNotificationKind Kind, string? Id)>();
        var channels = new List<string>();
        var payloads = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastSend = -interval;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // The coalescing window runs on the real clock even under a test clock: it only spaces sends out, and a
                // test's clock that never moves must not stop notifications.
                var wait = lastSend + interval - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, TimeProvider.System, stoppingToken).ConfigureAwait(false);
                pending.Clear();
                while (pending.Count < MaxBatch && reader.TryRead(out var n)) pending.Add(n);
                Pack(pending, channels, payloads);
                lastSend = clock.Elapsed;
                try
                {
                    await using var command = _sender.CreateCommand(PostgresCoordination.Notify);
                    command.P("channels", channels.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                    command.P("payloads", payloads.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                    await command.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Dropped, not retried: the receivers poll anyway, and a late wake-up is worth little.
                    LogSendFailed(ex, pending.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// One batch as (channel, payload) pairs: per kind, its distinct ids packed into payloads of
    /// <c>{node tag (8)}{kind (1)}{id}[ {id}…]</c> (a kind without ids, such as new work, is one payload with none).
    /// Duplicates in one batch (many creates waking workers, many writes to one operation) say nothing new.
    /// </summary>
    private void Pack(List<(StoreNotificationKind Kind, string? Id)> batch, List<string> channels, List<string> payloads)
    {
        channels.Clear();
        payloads.Clear();
        foreach (var kind in Enum.GetValues<StoreNotificationKind>())
        {
            var channel = kind == StoreNotificationKind.OperationChanged ? _changesChannel : _workChannel;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var payload = new System.Text.StringBuilder();
            var any = false;
            foreach (var (k, id) in batch)
            {
                if (k != kind) continue;
                any = true;
                if (id is null || !seen.Add(id)) continue;
                if (payload.Length > 0 && payload.Length + 1 + id.Length > MaxPayloadLength)
                {
                    channels.Add(channel);
                    payloads.Add(payload.ToString());
                    payload.Clear();
                }
                if (payload.Length == 0) payload.Append(_nodeTag).Append((char)('0' + (int)kind));
                else payload.Append(IdSeparator);
                payload.Append(id);
            }
            if (!any) continue;
            if (payload.Length == 0) payload.Append(_nodeTag).Append((char)('0' + (int)kind));
            channels.Add(channel);
            payloads.Add(payload.ToString());
        }
    }

    private void OnNotification(string payload)
    {
        // Our own notifications were delivered locally when published.
        if (payload.Length < 9 || payload.AsSpan(0, 8).SequenceEqual(_nodeTag)) return;
        var kind = (StoreNotificationKind)(payload[8] - '0');
        if (!Enum.IsDefined(kind)) return;
        if (payload.Length == 9)
        {
            _local.Publish(kind, null);
            return;
        }
        foreach (var range in payload.AsSpan(9).Split(IdSeparator))
        {
            var id = payload.AsSpan(9)[range];
            if (!id.IsEmpty) _local.Publish(kind, id.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notifications: listening on {Channels}")]
    private partial void LogListening(string channels);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notifications: listening again on {Channels}")]
    private partial void LogReconnected(string channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications: the listening connection failed; reconnecting in {Seconds} s (polling covers the gap)")]
    private partial void LogListenFailed(Exception ex, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications: {Count} notification(s) could not be sent (other nodes will find the changes by polling)")]
    private partial void LogSendFailed(Exception ex, int count);
}
