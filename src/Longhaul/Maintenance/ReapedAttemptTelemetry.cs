using System.Diagnostics;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.Extensions.Logging;

namespace Longhaul.Maintenance;

/// <summary>
/// The span and run time of remote attempts the reaper ends because their worker stopped heartbeating (it died, or was
/// stopped past its lease): nobody else sees them end. Read before the sweep (<see cref="IOperationStore.ListExpiredRemoteLeasesAsync"/>),
/// checked after it: an attempt counts as reaped when its operation left the lease's epoch running state. The span,
/// <c>longhaul.attempt {kind}</c>, is back-dated to the claim and ends now with outcome <c>lease_expired</c> and the
/// error status "lease expired"; the claim span's context lives only in the worker's lease token, so it is a trace
/// of its own, linked to the trace that started the operation, as an in-process attempt's is.
/// </summary>
internal sealed partial class ReapedAttemptTelemetry(IOperationStore store, LonghaulMetrics metrics, TimeProvider time, ILogger<ReapedAttemptTelemetry> logger)
{
    /// <summary>The most expired remote leases looked at per sweep; more are reaped, unrecorded.</summary>
    public const int MaxPerSweep = 1000;

    /// <summary>The attempt outcome (metric label, span attribute) of an attempt whose lease expired.</summary>
    public const string Outcome = "lease_expired";

    /// <summary>The expired remote leases the coming sweep will end; none when they cannot be read (the sweep must still run).</summary>
    public async Task<IReadOnlyList<ExpiredLease>> BeforeSweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.ListExpiredRemoteLeasesAsync(new ExpiredLeasesParams(MaxPerSweep), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(ex);
            return [];
        }
    }

    /// <summary>Records the span and run time of each of <paramref name="expired"/> the sweep ended.</summary>
    public async Task AfterSweepAsync(IReadOnlyList<ExpiredLease> expired, CancellationToken cancellationToken)
    {
        foreach (var lease in expired)
        {
            Operation? op;
            try
            {
                op = await store.GetAsync(new GetParams(null, lease.Id), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogReadFailed(ex);
                return;
            }
            if (op is null || (op.LeaseEpoch == lease.Epoch && op.Status == OperationStatus.Running)) continue;
            var now = time.GetUtcNow();
            var claimedAt = lease.ClaimedAt ?? now;
            // As in the token-based path: a run time only when the claim time is known.
            if (lease.ClaimedAt is not null) metrics.AttemptEnded(op.Kind, Outcome, now - claimedAt);
            var activity = LonghaulTracing.StartRemoteAttempt(op with { Attempt = lease.Attempt }, null, claimedAt);
            if (activity is null) continue;
            activity.SetTag("longhaul.worker", lease.Owner.StartsWith("remote/", StringComparison.Ordinal) ? lease.Owner["remote/".Length..] : lease.Owner);
            activity.SetTag("longhaul.reap.outcome", op.LeaseEpoch != lease.Epoch || op.Status == OperationStatus.Pending ? "requeued" : op.Status.ToWire());
            activity.SetStatus(ActivityStatusCode.Error, "lease expired");
            activity.SetEndTime((now > claimedAt ? now : claimedAt).UtcDateTime);
            LonghaulTracing.EndAttempt(activity, Outcome, Outcome);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaper: reading the expired remote leases for their attempts' telemetry failed; their attempts go unrecorded")]
    private partial void LogReadFailed(Exception ex);
}
