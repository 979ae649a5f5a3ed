using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Starts one operation, with an idempotency key when the client sent one.</summary>
/// <param name="Operation">The operation to store.</param>
/// <param name="Idempotency">The key to check and record; null without one.</param>
public sealed record StartParams(OperationToStart Operation, IdempotencyClaim? Idempotency)
{
    /// <summary>
    /// The tenant's <c>MaxPending</c>: when the tenant already has this many pending operations, nothing is stored and
    /// the outcome is <see cref="StartOutcome.PendingLimitReached"/> (checked in the start's transaction, after the
    /// idempotency key, so a replay still answers). Null for no limit.
    /// </summary>
    public int? MaxPending { get; init; }

    /// <summary>
    /// The tenant's <c>MaxEventsPerOperation</c>, stored with the operation: a fenced write that would take its event log
    /// past it fails the operation with <see cref="OperationErrors.EventLimitExceeded"/> instead. Null for no limit.
    /// </summary>
    public int? MaxEvents { get; init; }
}
