namespace Longhaul.Storage;

/// <summary>
/// The answer of a fenced event write (<see cref="IOperationStore.RecordAsync"/>, <see cref="IOperationStore.AppendOutputAsync"/>,
/// <see cref="IOperationStore.AppendWarningAsync"/>). Reads as <c>bool</c> (written or not) where only that matters; its
/// <see cref="Outcome"/> tells a lost lease from the write that ended the operation by its event limit (ADR 0037).
/// </summary>
/// <param name="Outcome">How the write ended.</param>
public readonly record struct EventWriteResult(EventWriteOutcome Outcome)
{
    /// <summary>Written under the lease.</summary>
    public static EventWriteResult Written => new(EventWriteOutcome.Written);

    /// <summary>Nothing written (lease lost, operation not running).</summary>
    public static EventWriteResult Refused => new(EventWriteOutcome.Refused);

    /// <summary>Nothing written; this write ended the operation with <see cref="OperationErrors.EventLimitExceeded"/>.</summary>
    public static EventWriteResult EndedByEventLimit => new(EventWriteOutcome.EndedByEventLimit);

    /// <summary>True when the event was written.</summary>
    public bool IsWritten => Outcome == EventWriteOutcome.Written;

    /// <summary>True when the event was written (<see cref="IsWritten"/>).</summary>
    public static implicit operator bool(EventWriteResult result) => result.IsWritten;

    /// <summary>True when the event was written (<see cref="IsWritten"/>); the named form of the conversion.</summary>
    public bool ToBoolean() => IsWritten;
}
