using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Extensions.Logging;

namespace Longhaul.Execution;

internal sealed partial class OperationEngine
{
    /// <summary>
    /// An attempt whose own write ended the operation by its tenant's <c>MaxEventsPerOperation</c> (the store failed it in
    /// that write, ADR 0037): counted as the final state it is (finished <c>failed</c> with <c>event_limit_exceeded</c>,
    /// the attempt's outcome <c>failed</c>, one refusal of the limit) and logged as a limit stop, not as a lost lease.
    /// Once per attempt: only the one write that ended it sets <see cref="RunningOperation.EndedByEventLimit"/>, and an
    /// attempt ends once. False (nothing counted) for any other attempt.
    /// </summary>
    private bool EndedByEventLimit(RunningOperation run)
    {
        if (!run.EndedByEventLimit) return false;
        var op = run.Operation;
        LogEventLimitStop(op.Id, op.Kind, op.Attempt);
        run.ErrorCode = OperationErrors.EventLimitExceededCode;
        _metrics.Finished(op, OperationStatus.Failed, OperationErrors.EventLimitExceededCode, _time.GetUtcNow());
        _limitMetrics?.Refused(Tenancy.TenantLimitMetrics.MaxEventsPerOperation);
        AttemptEnded(run, OperationStatus.Failed.ToWire());
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} ({Kind}) attempt {Attempt} wrote past its tenant's MaxEventsPerOperation; it failed with event_limit_exceeded")]
    private partial void LogEventLimitStop(string operationId, string kind, int attempt);
}
