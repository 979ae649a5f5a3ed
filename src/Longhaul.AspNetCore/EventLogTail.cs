using Longhaul.Events;
using Longhaul.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// Follows an operation's event log from a position, woken by store notifications and polled every second as the
/// backstop, handing each page of new events to the caller and asking for a keep-alive after
/// <see cref="LonghaulApiOptions.KeepAliveInterval"/> without one. Shared by the event stream and the gateway.
/// </summary>
internal static class EventLogTail
{
    private const int PageSize = 500;
    private static readonly TimeSpan PollBackstop = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Calls <paramref name="onEvents"/> with each page after <paramref name="after"/> until it returns true (it saw
    /// what it waited for, e.g. <c>done</c>); returns false when the operation disappeared (deleted) or
    /// <paramref name="cancellationToken"/> fired.
    /// </summary>
    public static async Task<bool> FollowAsync(
        IServiceProvider services, string tenant, string id, long after,
        Func<IReadOnlyList<OperationEvent>, Task<bool>> onEvents, Func<Task> onKeepAlive, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IOperationStore>();
        var signals = services.GetRequiredService<OperationSignals>();
        var time = services.GetRequiredService<TimeProvider>();
        var keepAlive = services.GetRequiredService<IOptions<LonghaulApiOptions>>().Value.KeepAliveInterval;
        var lastWrite = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = signals.Watch(id);
            var events = await store.ReadEventsAsync(new ReadEventsParams(id, after, PageSize), cancellationToken).ConfigureAwait(false);
            if (events.Count > 0)
            {
                if (await onEvents(events).ConfigureAwait(false)) return true;
                after = events[^1].Seq;
                lastWrite = time.GetUtcNow();
                if (events.Count == PageSize) continue;
            }
            else if (await store.GetAsync(new GetParams(tenant, id), cancellationToken).ConfigureAwait(false) is null)
            {
                return false; // Deleted while we watched.
            }

            var untilKeepAlive = keepAlive - (time.GetUtcNow() - lastWrite);
            if (untilKeepAlive <= TimeSpan.Zero)
            {
                await onKeepAlive().ConfigureAwait(false);
                lastWrite = time.GetUtcNow();
                continue;
            }
            try
            {
                await changed.WaitAsync(untilKeepAlive < PollBackstop ? untilKeepAlive : PollBackstop, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop: re-read the log, maybe send a keep-alive.
            }
        }
        return false;
    }
}
