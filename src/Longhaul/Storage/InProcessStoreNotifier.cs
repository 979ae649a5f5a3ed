using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>The single-process notifier: listeners are called synchronously after the commit, so they must be quick and never block.</summary>
public sealed class InProcessStoreNotifier : IStoreNotifier
{
    private readonly Lock _gate = new();
    private Action<StoreNotificationKind, string?>[] _listeners = [];

    /// <summary>Calls every listener on the caller's thread; a listener that throws is skipped.</summary>
    public void Publish(StoreNotificationKind kind, string? operationId)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try
            {
                listener(kind, operationId);
            }
            catch (Exception)
            {
                // A notification is a hint: one failing listener must not starve the others or the publisher.
            }
        }
    }

    /// <summary>Adds a listener; dispose the result to remove it.</summary>
    public IDisposable Subscribe(Action<StoreNotificationKind, string?> listener)
    {
        lock (_gate) _listeners = [.. _listeners, listener];
        return new Subscription(this, listener);
    }

    private void Unsubscribe(Action<StoreNotificationKind, string?> listener)
    {
        lock (_gate) _listeners = _listeners.Where(l => l != listener).ToArray();
    }

    private sealed class Subscription(InProcessStoreNotifier owner, Action<StoreNotificationKind, string?> listener) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(listener);
    }
}
