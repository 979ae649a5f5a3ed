using System.Collections.Concurrent;
using Longhaul.Storage;

namespace Longhaul.Events;

/// <summary>
/// Lets readers (long-poll, SSE) wait for the next change of one operation. Take a <see cref="Watch"/> before
/// reading the store, then await it: a change committed in between completes it, so no wake-up is lost.
/// </summary>
public sealed class OperationSignals : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private TaskCompletionSource _any = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Subscribes to <paramref name="notifier"/>'s change notifications.</summary>
    public OperationSignals(IStoreNotifier notifier)
    {
        _subscription = notifier.Subscribe((kind, id) =>
        {
            if (kind == StoreNotificationKind.OperationChanged && id is not null && _waiters.TryRemove(id, out var tcs))
            {
                tcs.TrySetResult();
            }
            if (kind is StoreNotificationKind.OperationChanged or StoreNotificationKind.WorkAvailable)
            {
                Interlocked.Exchange(ref _any, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        });
    }

    /// <summary>A task that completes at the next change of <paramref name="operationId"/>.</summary>
    public Task Watch(string operationId)
        => _waiters.GetOrAdd(operationId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>A task that completes at the next change or start of any operation (the tenant-wide event stream filters after waking).</summary>
    public Task WatchAny() => Volatile.Read(ref _any).Task;

    /// <summary>Unsubscribes from the notifier: no change completes a watch after this.</summary>
    public void Dispose() => _subscription.Dispose();
}
