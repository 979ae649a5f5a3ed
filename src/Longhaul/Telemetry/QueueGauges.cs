using System.Diagnostics.Metrics;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Extensions.Hosting;

namespace Longhaul.Telemetry;

/// <summary>
/// Observable gauges of the queue on the meter <c>Longhaul</c>: <c>longhaul.queue.depth</c> (by kind and status) and
/// <c>longhaul.queue.oldest_pending_age</c> (by kind). They read the store when observed (a scrape or an export), at
/// most once per <see cref="MaxAge"/>; in between they report the cached counts.
/// </summary>
internal sealed class QueueGauges(IOperationStore store, LonghaulMetrics metrics, TimeProvider time) : IHostedService
{
    /// <summary>How long one count of the queue is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private IReadOnlyList<QueueCount> _counts = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Meter.CreateObservableGauge("longhaul.queue.depth", Depth, "{operation}", "Unfinished operations by kind and status (pending, running).");
        metrics.Meter.CreateObservableGauge("longhaul.queue.oldest_pending_age", OldestAge, "s", "Age of the longest-waiting ready pending operation, by kind.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Depth()
        => Counts().Select(c => new Measurement<long>(c.Count, new("kind", c.Kind), new("status", c.Status.ToWire())));

    private IEnumerable<Measurement<double>> OldestAge()
    {
        var now = time.GetUtcNow();
        // One value per kind with unfinished work: 0 when nothing of it is waiting (all running, or retries not yet due).
        return Counts().GroupBy(c => c.Kind, StringComparer.Ordinal).Select(g =>
        {
            var oldest = g.Min(c => c.OldestReadyAt);
            var age = oldest is { } readyAt ? Math.Max(0, (now - readyAt).TotalSeconds) : 0;
            return new Measurement<double>(age, new KeyValuePair<string, object?>("kind", g.Key));
        });
    }

    private IReadOnlyList<QueueCount> Counts()
    {
        lock (_gate)
        {
            if (time.GetUtcNow() - _readAt < MaxAge) return _counts;
            try
            {
                // Observation callbacks are synchronous; a scrape may wait for one bounded query every few seconds.
                using var timeout = new CancellationTokenSource(QueryTimeout);
                _counts = store.CountQueueAsync(timeout.Token).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Data.Common.DbException)
            {
                // The store is slow or down: report the last counts; /readyz tells the rest.
            }
            _readAt = time.GetUtcNow();
            return _counts;
        }
    }
}
