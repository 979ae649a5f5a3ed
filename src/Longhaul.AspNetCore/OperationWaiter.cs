using Longhaul.Contracts;
using Longhaul.Events;
using Longhaul.Storage;
using Microsoft.Extensions.Hosting;

namespace Longhaul.AspNetCore;

/// <summary>
/// Waits for an operation to finish, woken by store notifications, with a 1 s poll as the backstop. A wait ends early
/// when the host starts stopping, so open long-polls never hold up a graceful shutdown.
/// </summary>
public sealed class OperationWaiter(IOperationStore store, OperationSignals signals, TimeProvider time, IHostApplicationLifetime? lifetime = null)
{
    private static readonly TimeSpan PollBackstop = TimeSpan.FromSeconds(1);
    private const int MaxScan = 100;

    /// <summary>The operation once done, or as it is when <paramref name="timeout"/> runs out; null when it does not exist.</summary>
    public async Task<Operation?> WaitAsync(string tenant, string id, TimeSpan timeout, CancellationToken cancellationToken)
        => (await WaitCoreAsync(tenant, id, timeout, untilOutput: false, cancellationToken).ConfigureAwait(false)).Operation;

    /// <summary>
    /// Like <see cref="WaitAsync"/>, but also returns as soon as the operation has written an <c>output</c> event
    /// (<c>Output</c> true): the moment a caller can start streaming it.
    /// </summary>
    public Task<(Operation? Operation, bool Output)> WaitForOutputAsync(string tenant, string id, TimeSpan timeout, CancellationToken cancellationToken)
        => WaitCoreAsync(tenant, id, timeout, untilOutput: true, cancellationToken);

    private async Task<(Operation? Operation, bool Output)> WaitCoreAsync(string tenant, string id, TimeSpan timeout, bool untilOutput, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + timeout;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime?.ApplicationStopping ?? CancellationToken.None);
        var waitToken = linked.Token;
        long seen = 0;
        while (true)
        {
            var changed = signals.Watch(id);
            var op = await store.GetAsync(new GetParams(tenant, id), cancellationToken).ConfigureAwait(false);
            if (op is not null && !op.Done && untilOutput && op.LastEventSeq > seen)
            {
                var events = await store.ReadEventsAsync(new ReadEventsParams(id, seen, MaxScan), cancellationToken).ConfigureAwait(false);
                if (events.Any(e => e.Type == EventTypes.Output)) return (op, true);
                if (events.Count > 0) seen = events[^1].Seq;
            }
            var left = until - time.GetUtcNow();
            if (op is null || op.Done || left <= TimeSpan.Zero || lifetime?.ApplicationStopping.IsCancellationRequested == true) return (op, false);
            try
            {
                await changed.WaitAsync(left < PollBackstop ? left : PollBackstop, time, waitToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Re-read: polling is the backstop for missed notifications.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The host is stopping: answer with the operation as it is now.
            }
        }
    }
}
