namespace Longhaul;

/// <summary>
/// Why the engine cancelled a handler's <see cref="CancellationToken"/>, read from <see cref="OperationContext.StopReason"/>.
/// The reason is set before the token fires and never changes afterwards: the first stop wins. It also decides what
/// happens to the operation when the handler ends by throwing.
/// </summary>
public enum OperationStopReason
{
    /// <summary>The handler has not been stopped; its token has not fired.</summary>
    None = 0,

    /// <summary>A client cancelled the operation (<c>POST /v1/operations/{id}/cancel</c>); it ends <c>cancelled</c>.</summary>
    Cancelled,

    /// <summary>
    /// The operation's deadline (<see cref="OperationContext.DeadlineAt"/>) passed; it ends <c>failed</c> with
    /// <c>deadline_exceeded</c>. Set only once the engine's clock has reached the deadline.
    /// </summary>
    DeadlineExceeded,

    /// <summary>
    /// This node is shutting down and the grace period ran out; the operation is handed back to <c>pending</c> without
    /// counting the attempt, and another worker resumes it from its last checkpoint.
    /// </summary>
    ShuttingDown,

    /// <summary>
    /// This attempt lost its lease (a heartbeat failed to renew it, or a write was fenced off); another worker may own the
    /// operation now, so nothing this attempt does is recorded any more.
    /// </summary>
    LeaseLost,

    /// <summary>
    /// A write of this attempt (progress, output, a warning) passed the tenant's <c>MaxEventsPerOperation</c>: the store
    /// failed the operation with <c>event_limit_exceeded</c> in that write (not retried). The write throws
    /// <see cref="LeaseLostException"/> (the attempt no longer holds its lease); nothing this attempt does is recorded any more.
    /// </summary>
    EventLimitExceeded,
}
