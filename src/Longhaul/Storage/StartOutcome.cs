using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>What a start did.</summary>
public enum StartOutcome
{
    /// <summary>A new operation was stored.</summary>
    Started,

    /// <summary>The idempotency key was used before with the same request: the earlier operation is returned, nothing is stored.</summary>
    Replayed,

    /// <summary>The idempotency key was used before with a different request; nothing is stored.</summary>
    KeyReused,

    /// <summary>The idempotency key's first request is still held in flight; nothing is stored.</summary>
    KeyInFlight,

    /// <summary>The tenant has <see cref="StartParams.MaxPending"/> pending operations already; nothing is stored.</summary>
    PendingLimitReached,
}
