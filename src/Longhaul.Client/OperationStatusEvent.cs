using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>The operation's status changed.</summary>
/// <param name="Id">Its log position.</param>
/// <param name="Status">The new status.</param>
/// <param name="Attempt">The attempt it belongs to.</param>
/// <param name="Reason">Why it went back to <c>pending</c>: <c>retry</c>, <c>handed_back</c> or <c>lease_expired</c>; null otherwise.</param>
/// <param name="Error">The error of the failed attempt, when there is one.</param>
/// <param name="CancelRequested">True when this event records a cancel request; null when the event does not say.</param>
/// <param name="RetryAt">When a retry runs, for <c>reason = retry</c>.</param>
public sealed record OperationStatusEvent(long Id, OperationStatus Status, int Attempt, string? Reason, OperationError? Error, bool? CancelRequested, DateTimeOffset? RetryAt) : OperationEvent(Id);
