using Longhaul.Events;
using Longhaul.Storage;

namespace Longhaul.AspNetCore;

/// <summary>Waits for an operation to finish, woken by store notifications, with a 1 s poll as the backstop.</summary>
public sealed class OperationWaiter(IOperationStore store, OperationSignals signals, TimeProvider time)
{
    private static readonly TimeSpan PollBackstop = TimeSpan.FromSeconds(1);

    /// <summary>The operation once done, or as it is when <paramref name="timeout"/> runs out; null when it does not exist.</summary>
    public async Task<Operation?> WaitAsync(string tenant, string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + timeout;
        while (true)
        {
            var changed = signals.Watch(id);
            var op = await store.GetAsync(new GetParams(tenant, id), cancellationToken).ConfigureAwait(false);
            var left = until - time.GetUtcNow();
            if (op is null || op.Done || left <= TimeSpan.Zero) return op;
            try
            {
                await changed.WaitAsync(left < PollBackstop ? left : PollBackstop, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Re-read: polling is the backstop for missed notifications.
            }
        }
    }
}
