using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>
/// Wake-ups after a store commit: new work, a changed operation (new events), a cancel request. A hint only:
/// listeners also poll, so a lost notification costs latency, never correctness.
/// </summary>
public interface IStoreNotifier
{
    void Publish(StoreNotificationKind kind, string? operationId);

    /// <summary>Registers a listener; dispose the result to stop listening.</summary>
    IDisposable Subscribe(Action<StoreNotificationKind, string?> listener);
}
