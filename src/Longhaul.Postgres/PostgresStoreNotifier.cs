using System.Threading.Channels;
using Longhaul.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

/// <summary>
/// Cross-node wake-ups over LISTEN/NOTIFY. <see cref="Publish"/> (called after a commit) tells this process's listeners
/// at once and queues a small <c>pg_notify</c> (tag, kind, id) for the other nodes, sent in batches off the write path.
/// One dedicated connection per process listens, and reconnects when it fails. A hint only: a lost notification costs
/// latency, since every listener also polls.
/// </summary>
public sealed partial class PostgresStoreNotifier : BackgroundService, IStoreNotifier
{
    private const int MaxBatch = 1000;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly InProcessStoreNotifier _local = new();
    private readonly Channel<(StoreNotificationKind Kind, string? Id)> _outbox =
        Channel.CreateUnbounded<(StoreNotificationKind, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _sender;
    private readonly string _listenConnectionString;
    private readonly string _channel;
    private readonly string _nodeTag = Guid.NewGuid().ToString("N")[..8];
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresStoreNotifier> _logger;
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresStoreNotifier(PostgresStoreOptions options, TimeProvider time, ILogger<PostgresStoreNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _channel = PostgresCoordination.Channel(options.Schema);
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
        _outbox.Writer.TryWrite((kind, operationId));
    }

    public IDisposable Subscribe(Action<StoreNotificationKind, string?> listener) => _local.Subscribe(listener);

    /// <summary>Completes once the current listening connection has run LISTEN (a new one after each failure); for tests.</summary>
    internal Task Listening => Volatile.Read(ref _listening).Task;

    public override void Dispose()
    {
        _sender.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var reconnect = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand(PostgresCoordination.Listen(_channel), connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }
                Volatile.Read(ref _listening).TrySetResult();
                if (reconnect)
                {
                    LogReconnected(_channel);
                    // Whatever was sent while deaf is lost: wake the workers once so they look now rather than at the next poll.
                    _local.Publish(StoreNotificationKind.WorkAvailable, null);
                }
                else
                {
                    LogListening(_channel);
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

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var reader = _outbox.Reader;
        var batch = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                seen.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var n))
                {
                    // Duplicates in one batch (many creates waking workers, many progress writes) say nothing new.
                    var payload = Encode(n.Kind, n.Id);
                    if (seen.Add(payload)) batch.Add(payload);
                }
                try
                {
                    await using var command = _sender.CreateCommand(PostgresCoordination.Notify);
                    command.P("channel", _channel, NpgsqlDbType.Text);
                    command.P("payloads", batch.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                    await command.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Dropped, not retried: the receivers poll anyway, and a late wake-up is worth little.
                    LogSendFailed(ex, batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary><c>{node tag (8)}{kind (1)}{operation id}</c>: small, well under NOTIFY's 8000-byte limit.</summary>
    private string Encode(StoreNotificationKind kind, string? id) => $"{_nodeTag}{(char)('0' + (int)kind)}{id}";

    private void OnNotification(string payload)
    {
        // Our own notifications were delivered locally when published.
        if (payload.Length < 9 || payload.AsSpan(0, 8).SequenceEqual(_nodeTag)) return;
        var kind = (StoreNotificationKind)(payload[8] - '0');
        if (!Enum.IsDefined(kind)) return;
        _local.Publish(kind, payload.Length > 9 ? payload[9..] : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notifications: listening on channel {Channel}")]
    private partial void LogListening(string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notifications: listening again on channel {Channel}")]
    private partial void LogReconnected(string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications: the listening connection failed; reconnecting in {Seconds} s (polling covers the gap)")]
    private partial void LogListenFailed(Exception ex, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications: {Count} notification(s) could not be sent (other nodes will find the changes by polling)")]
    private partial void LogSendFailed(Exception ex, int count);
}
