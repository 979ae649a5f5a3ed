namespace Longhaul.Storage;

/// <summary>How a fenced event write (progress, output, warning) ended: see <see cref="EventWriteResult"/>.</summary>
public enum EventWriteOutcome
{
    /// <summary>Nothing written: the lease epoch is stale, the operation is not running, or (see below) its log was already full.</summary>
    Refused = 0,

    /// <summary>Written under the lease.</summary>
    Written,

    /// <summary>
    /// Nothing written, and this very write ended the operation: its log had no room for the event (the tenant's
    /// <c>MaxEventsPerOperation</c>), so the store failed it with <see cref="OperationErrors.EventLimitExceeded"/> in the same
    /// transaction. Only the one write that ended it answers this; a later write under the same lease answers
    /// <see cref="Refused"/> (ADR 0037).
    /// </summary>
    EndedByEventLimit,
}
