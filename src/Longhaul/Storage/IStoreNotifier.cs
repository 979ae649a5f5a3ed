using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>
/// Wake-ups after a store commit: new work, a changed operation (new events), a cancel request. A hint only:
/// listeners also poll, so a lost notification costs latency, never correctness. Implemented by Longhaul only:
/// <see cref="InProcessStoreNotifier"/> (one process) and the PostgreSQL store's LISTEN/NOTIFY notifier (ADR 7, ADR 14).
/// </summary>
public interface IStoreNotifier
{
    /// <summary>
    /// Tells this process's listeners (and, for a store shared by nodes, the other nodes' listeners) that
    /// <paramref name="kind"/> happened to <paramref name="operationId"/> (null for <see cref="StoreNotificationKind.WorkAvailable"/>).
    /// Stores call it only after the commit. A listener that throws does not make it throw.
    /// </summary>
    void Publish(StoreNotificationKind kind, string? operationId);

    /// <summary>Registers a listener; dispose the result to stop listening.</summary>
    IDisposable Subscribe(Action<StoreNotificationKind, string?> listener);
}
