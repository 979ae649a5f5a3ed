using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>What a store notification says happened.</summary>
public enum StoreNotificationKind
{
    /// <summary>An operation became ready to claim (started, handed back or requeued by the reaper); the id is null.</summary>
    WorkAvailable,

    /// <summary>The operation's state or event log changed, or it was deleted.</summary>
    OperationChanged,

    /// <summary>A client asked the operation's worker to stop.</summary>
    CancelRequested,
}
