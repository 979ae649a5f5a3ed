using System.Text;
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
/// packed into few payloads. Two channels, each with its own outbox and sender loop:
/// <list type="bullet">
/// <item>work (new work, cancel requests): sent at once; heard by nodes that run workers
/// (<see cref="PostgresStoreOptions.ReceiveWorkNotifications"/>);</item>
/// <item>changes (an operation changed): at most one batch per <see cref="ChangesInterval"/>, because every NOTIFY wakes
/// every listening session of the database whatever its channels, and a busy worker changes operations thousands of
/// times a second; heard by nodes that serve the API (<see cref="PostgresStoreOptions.ReceiveChangeNotifications"/>).</item>
/// </list>
/// One dedicated connection per process listens, and reconnects when it fails. A hint only: a lost notification costs
/// latency, since every listener also polls.
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

    /// <summary>A notifier for the store <paramref name="options"/> describe; it listens and sends once started as a hosted service.</summary>
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

    /// <inheritdoc/>
    public void Publish(StoreNotificationKind kind, string? operationId)
    {
        _local.Publish(kind, operationId);
        (kind == StoreNotificationKind.OperationChanged ? _changesOutbox : _workOutbox).Writer.TryWrite((kind, operationId));
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(Action<StoreNotificationKind, string?> listener) => _local.Subscribe(listener);

    /// <summary>The channels this node listens to (none, one or both), in the order it runs LISTEN; for tests.</summary>
    internal IReadOnlyList<string> ListenChannels => _listenTo;

    /// <summary>Completes once the current listening connection has run LISTEN (a new one after each failure); for tests.</summary>
    internal Task Listening => Volatile.Read(ref _listening).Task;

    /// <inheritdoc/>
    public override void Dispose()
    {
        _sender.Dispose();
        base.Dispose();
    }

    /// <summary>Runs the listening loop and the two sender loops until the host stops.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        ListenAsync(stoppingToken),
        SendAsync(_workOutbox.Reader, _workChannel, TimeSpan.Zero, stoppingToken),
        SendAsync(_changesOutbox.Reader, _changesChannel, ChangesInterval, stoppingToken));

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

    /// <summary>One sender loop per outbox and its channel; the two share the sender's one connection.</summary>
    private async Task SendAsync(
        ChannelReader<(StoreNotificationKind Kind, string? Id)> reader, string channel, TimeSpan interval, CancellationToken stoppingToken)
    {
        var pending = new List<(StoreNotificationKind Kind, string? Id)>();
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
                var payloads = Pack(pending);
                lastSend = clock.Elapsed;
                try
                {
                    await using var command = _sender.CreateCommand(PostgresCoordination.Notify);
                    command.P("channel", channel, NpgsqlDbType.Text);
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
    /// One batch as payloads: per kind, its distinct ids packed into <c>{node tag (8)}{kind (1)}{id}[ {id}…]</c> of at
    /// most <see cref="MaxPayloadLength"/> (a kind without ids, such as new work, is one payload with none). Duplicates
    /// in one batch (many creates waking workers, many writes to one operation) say nothing new.
    /// </summary>
    private List<string> Pack(List<(StoreNotificationKind Kind, string? Id)> batch)
    {
        var payloads = new List<string>();
        foreach (var kind in batch.Select(n => n.Kind).Distinct())
        {
            var header = $"{_nodeTag}{(char)('0' + (int)kind)}";
            var payload = new StringBuilder(header);
            foreach (var id in batch.Where(n => n.Kind == kind && n.Id is not null).Select(n => n.Id!).Distinct(StringComparer.Ordinal))
            {
                if (payload.Length > header.Length && payload.Length + 1 + id.Length > MaxPayloadLength)
                {
                    payloads.Add(payload.ToString());
                    payload.Clear().Append(header);
                }
                if (payload.Length > header.Length) payload.Append(IdSeparator);
                payload.Append(id);
            }
            payloads.Add(payload.ToString());
        }
        return payloads;
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
