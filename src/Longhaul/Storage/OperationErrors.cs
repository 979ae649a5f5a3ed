using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>The errors Longhaul itself gives an operation (the engine and both stores' reapers share them).</summary>
public static class OperationErrors
{
    /// <summary>The code of <see cref="Cancelled"/>.</summary>
    public const string CancelledCode = "cancelled";
    /// <summary>The code of <see cref="DeadlineExceeded"/>.</summary>
    public const string DeadlineExceededCode = "deadline_exceeded";
    /// <summary>The code of <see cref="WorkerLost"/>.</summary>
    public const string WorkerLostCode = "worker_lost";
    /// <summary>The code of <see cref="StartDeadlinePassed"/>.</summary>
    public const string StartDeadlinePassedCode = "start_deadline_passed";

    /// <summary>An attempt that failed with an unexpected exception and will be retried; the exception is only logged.</summary>
    public const string InternalErrorCode = "internal_error";

    /// <summary>The last attempt failed with an unexpected exception; the exception is only logged.</summary>
    public const string AttemptsExhaustedCode = "attempts_exhausted";

    /// <summary>A typed kind's stored input no longer reads as its input type (the kind changed since the start); not retried.</summary>
    public const string InvalidInputCode = "invalid_input";

    /// <summary>The error of an operation its client cancelled.</summary>
    public static readonly OperationError Cancelled = new() { Code = CancelledCode, Message = "The operation was cancelled." };

    /// <summary>An operation stopped by its deadline (<c>options.timeout_seconds</c>), as the reaper finds it.</summary>
    public static readonly OperationError DeadlineExceeded = new() { Code = DeadlineExceededCode, Message = "The operation did not finish within its timeout." };

    /// <summary>An operation whose first attempt had not started by its <c>options.start_by</c> (the reaper's).</summary>
    public static readonly OperationError StartDeadlinePassed = new() { Code = StartDeadlinePassedCode, Message = "No attempt started by the operation's start_by time." };

    /// <summary>An operation whose last attempt's worker stopped heartbeating, with no attempts left (the reaper's).</summary>
    public static readonly OperationError WorkerLost = new() { Code = WorkerLostCode, Message = "The worker running the last attempt stopped heartbeating and no attempts are left." };

    /// <summary>The code of <see cref="EventLimitExceeded"/>.</summary>
    public const string EventLimitExceededCode = "event_limit_exceeded";

    /// <summary>
    /// A handler (in-process or remote) wrote past its tenant's <c>MaxEventsPerOperation</c>: the store fails the operation
    /// in the write that would have passed it (not retried: the log is per operation, so another attempt would hit it again).
    /// </summary>
    public static readonly OperationError EventLimitExceeded = new()
    {
        Code = EventLimitExceededCode,
        Message = "The operation wrote more events (progress, output, warnings) than its tenant's MaxEventsPerOperation allows.",
    };
}
