using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>Records what a notifier publishes and lets a test await a given notification (stores may publish asynchronously).</summary>
public sealed class NotificationRecorder : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(StoreNotificationKind Kind, string? Id)> _seen = [];
    private readonly List<(StoreNotificationKind Kind, string? Id, TaskCompletionSource Done)> _waiters = [];
    private readonly IDisposable _subscription;

    public NotificationRecorder(IStoreNotifier notifier) => _subscription = notifier.Subscribe(OnPublished);

    public IReadOnlyList<(StoreNotificationKind Kind, string? Id)> Seen
    {
        get
        {
            lock (_gate) return [.. _seen];
        }
    }

    /// <summary>Completes once <paramref name="kind"/> was published for <paramref name="id"/> (any id when null), also if it already was.</summary>
    public async Task WaitForAsync(StoreNotificationKind kind, string? id, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_seen.Any(s => Matches(s.Kind, s.Id, kind, id))) return;
            _waiters.Add((kind, id, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No {kind} notification for '{id ?? "any"}' within {timeout}; seen: {string.Join(", ", Seen)}");
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void OnPublished(StoreNotificationKind kind, string? id)
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            _seen.Add((kind, id));
            ready = [.. _waiters.Where(w => Matches(kind, id, w.Kind, w.Id)).Select(w => w.Done)];
            _waiters.RemoveAll(w => ready.Contains(w.Done));
        }
        foreach (var done in ready) done.TrySetResult();
    }

    private static bool Matches(StoreNotificationKind kind, string? id, StoreNotificationKind wantedKind, string? wantedId)
        => kind == wantedKind && (wantedId is null || string.Equals(id, wantedId, StringComparison.Ordinal));
}
