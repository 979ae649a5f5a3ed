using Longhaul.Execution;
using Longhaul.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Longhaul.Webhooks;

/// <summary>
/// The delivery workers of a node that runs workers: claims due deliveries (with leases, so a lost node's claims
/// expire and another node takes them) into free slots, sends each through <see cref="WebhookSender"/>, and records the
/// attempt fenced by the claim's epoch. At most <see cref="WebhookOptions.MaxConcurrentDeliveries"/> at once, and
/// <see cref="WebhookOptions.MaxConcurrentPerDestination"/> per destination: a claimed delivery whose destination is
/// full waits for a slot while its lease leaves time for a whole attempt, and is given back (due a moment later) after. Woken by the store's notifications (a finished operation), else polls.
/// </summary>
internal sealed partial class WebhookDeliveryService : BackgroundService
{
    private static readonly TimeSpan DestinationBusyDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ClaimSpacing = TimeSpan.FromMilliseconds(20);

    private readonly IOperationStore _store;
    private readonly WebhookSender _sender;
    private readonly TimeProvider _time;
    private readonly WebhookOptions _options;
    private readonly ILogger<WebhookDeliveryService> _logger;
    private readonly AsyncSignal _wake = new();
    private readonly IDisposable _subscription;
    private readonly Dictionary<string, DestinationGate> _perDestination = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeSpan _queueWait;
    private readonly Lock _gate = new();
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly bool _runs;
    private readonly WebhookMetrics _metrics;
    private int _inFlight;

    public WebhookDeliveryService(
        IOperationStore store, IStoreNotifier notifier, WebhookSender sender, TimeProvider time, IOptions<WebhookOptions> options,
        IOptions<LonghaulEngineOptions> engine, WebhookMetrics metrics, ILogger<WebhookDeliveryService> logger)
    {
        _metrics = metrics;
        _runs = engine.Value.RunWorkers;
        _queueWait = options.Value.LeaseDuration - options.Value.ConnectTimeout - options.Value.ResponseTimeout - TimeSpan.FromSeconds(5);
        _store = store;
        _sender = sender;
        _time = time;
        _options = options.Value;
        _logger = logger;
        // A finished operation may have a delivery now: look at once instead of at the next poll.
        _subscription = notifier.Subscribe((kind, _) =>
        {
            if (kind == StoreNotificationKind.OperationChanged) _wake.Set();
        });
    }

    public override void Dispose()
    {
        _subscription.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Deliveries are sent where operations run: an API-only node leaves them to the worker nodes.
        if (!_runs) return;
        var tasks = new HashSet<Task>();
        // A store this process owns alone holds, besides its own, only leases of its previous life: those expire before
        // now plus a lease, and are taken back at once (as the engine recovers its operations) instead of waiting.
        DateTimeOffset? previousLife = _store.OwnsAllLeases ? _time.GetUtcNow() + _options.LeaseDuration : null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var free = _options.MaxConcurrentDeliveries - Volatile.Read(ref _inFlight);
                var claimed = 0;
                if (free > 0)
                {
                    try
                    {
                        var deliveries = await _store.ClaimDeliveriesAsync(new ClaimDeliveriesParams(_owner, free, _options.LeaseDuration, previousLife), stoppingToken).ConfigureAwait(false);
                        claimed = deliveries.Count;
                        foreach (var delivery in deliveries) tasks.Add(Start(delivery, stoppingToken));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogClaimFailed(ex);
                    }
                }
                tasks.RemoveWhere(t => t.IsCompleted);
                // Woken by a finished operation, a freed slot, or the poll. Notifications come in bursts (every event of
                // every operation), so after a claim that found nothing the next one waits a moment: one claim serves the
                // whole burst. A wall-clock pause on purpose: it paces the store, it is not a schedule.
                await _wake.WaitAsync(_options.PollInterval, _time, stoppingToken).ConfigureAwait(false);
                if (claimed == 0) await Task.Delay(ClaimSpacing, TimeProvider.System, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private Task Start(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        var destination = Destination(delivery.Url);
        DestinationGate gate;
        lock (_gate)
        {
            if (!_perDestination.TryGetValue(destination, out gate!))
            {
                gate = new DestinationGate(_options.MaxConcurrentPerDestination);
                _perDestination[destination] = gate;
            }
            gate.Users++;
            _inFlight++;
        }
        return Task.Run(() => SendAsync(delivery, destination, gate, stoppingToken), CancellationToken.None);
    }

    private async Task SendAsync(WebhookDelivery delivery, string destination, DestinationGate gate, CancellationToken stoppingToken)
    {
        var entered = false;
        try
        {
            // Waits its turn for the destination while the claim leaves time for a whole attempt; past that it is given
            // back (no attempt counted), so a queue behind a slow receiver never outlives its lease.
            entered = await gate.Slots.WaitAsync(_queueWait, stoppingToken).ConfigureAwait(false);
            if (!entered)
            {
                await DeferAsync(delivery, DestinationBusyDelay).ConfigureAwait(false);
                return;
            }
            var attempt = await _sender.SendAsync(delivery, stoppingToken).ConfigureAwait(false);
            if (attempt is null)
            {
                // Shutting down mid-attempt: give it back at once instead of leaving it to the lease.
                await DeferAsync(delivery, TimeSpan.Zero).ConfigureAwait(false);
                return;
            }
            _metrics.Attempted(attempt);
            if (!await _store.RecordDeliveryAttemptAsync(attempt, CancellationToken.None).ConfigureAwait(false)) LogFencedOut(delivery.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Nothing recorded: the lease runs out and the delivery is attempted again (at-least-once, same webhook-id).
            LogSendFailed(ex, delivery.Id);
        }
        catch (OperationCanceledException)
        {
            await DeferAsync(delivery, TimeSpan.Zero).ConfigureAwait(false);
        }
        finally
        {
            if (entered) gate.Slots.Release();
            lock (_gate)
            {
                if (--gate.Users == 0)
                {
                    _perDestination.Remove(destination);
                    gate.Slots.Dispose();
                }
                _inFlight--;
            }
            _wake.Set();
        }
    }

    private async Task DeferAsync(WebhookDelivery delivery, TimeSpan delay)
    {
        _metrics.Deferred();
        try
        {
            await _store.DeferDeliveryAsync(new DeferDeliveryParams(delivery.Id, delivery.LeaseEpoch, delay), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogSendFailed(ex, delivery.Id);
        }
    }

    private static string Destination(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}" : url;

    /// <summary>A destination's sending slots on this node, and how many claimed deliveries use or await them.</summary>
    private sealed class DestinationGate(int slots)
    {
        public SemaphoreSlim Slots { get; } = new(slots, slots);

        public int Users { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming webhook deliveries failed; retrying at the next poll.")]
    private partial void LogClaimFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} failed before its attempt was recorded; it is attempted again when its lease runs out.")]
    private partial void LogSendFailed(Exception ex, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId}: the attempt's record was fenced off (another node took the delivery over, or it was deleted).")]
    private partial void LogFencedOut(string deliveryId);
}
