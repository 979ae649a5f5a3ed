using System.Collections.Concurrent;
using System.Diagnostics;
using Longhaul.Contracts;
using Longhaul.Execution;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// A remote worker's attempts in the same traces, meters and deadline warnings as the engine's own (docs/observability.md,
/// ADR 22). The claim and the calls that follow are separate requests, maybe to different nodes, so nothing is held in
/// memory between them: the lease token carries the claim time, the warning time and the claim span's context, and the
/// node that ends the attempt records its span back-dated to the claim, with the attempt's events read from the log.
/// </summary>
internal sealed partial class RemoteAttemptTelemetry(
    IOperationStore store, LonghaulMetrics metrics, TimeProvider time, IOptions<LonghaulEngineOptions> options, ILogger<RemoteAttemptTelemetry> logger,
    Tenancy.TenantLimitMetrics? limitMetrics = null)
{
    private const int EventPage = 500;
    private const int MaxEventPages = 20;

    // Attempts this node has warned about (id and epoch), so a warning is given once per attempt; entries go when the
    // attempt ends here or when the set grows past its bound (then an attempt may be warned about again).
    private readonly ConcurrentDictionary<(string Id, long Epoch), byte> _warned = new();

    /// <summary>When an attempt of <paramref name="op"/> passes the warning fraction of its timeout, as the engine computes it; null for none.</summary>
    public DateTimeOffset? WarnAt(Operation op)
    {
        var fraction = options.Value.DeadlineWarningFraction;
        return op.DeadlineAt is { } deadline && fraction < 1 ? op.CreatedAt + ((deadline - op.CreatedAt) * fraction) : null;
    }

    /// <summary>Counts a claimed attempt and its queue wait (once the worker has its lease).</summary>
    public void Claimed(Operation op) => metrics.AttemptStarted(op, time.GetUtcNow());

    /// <summary>
    /// A remote attempt ended with <paramref name="outcome"/> (a final status, <c>retry</c>, <c>handed_back</c> or
    /// <c>lease_lost</c>): records its run time (not for <c>lease_lost</c>, as the engine) and its span.
    /// </summary>
    public async Task EndedAsync(LeaseToken token, Operation op, string outcome, string? errorCode)
    {
        _warned.TryRemove((token.Id, token.Epoch), out _);
        var now = time.GetUtcNow();
        var claimedAt = token.ClaimedAt ?? now;
        if (token.ClaimedAt is not null && outcome != "lease_lost") metrics.AttemptEnded(op.Kind, outcome, now - claimedAt);
        var activity = LonghaulTracing.StartRemoteAttempt(op, token.Claim, claimedAt);
        if (activity is null) return;
        try
        {
            if (activity.IsAllDataRequested) await AddEventsAsync(activity, op.Id, claimedAt).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogEventsFailed(ex, op.Id);
        }
        finally
        {
            // Ended on this node's clock, as it was started on the store's: the run time the attempt's metric records.
            activity.SetEndTime((now > claimedAt ? now : claimedAt).UtcDateTime);
            LonghaulTracing.EndAttempt(activity, outcome, errorCode);
        }
    }

    /// <summary>The attempt's progress, output and warning events (those logged since its claim) as span events at their times.</summary>
    private async Task AddEventsAsync(Activity activity, string id, DateTimeOffset since)
    {
        var after = 0L;
        for (var page = 0; page < MaxEventPages; page++)
        {
            var events = await store.ReadEventsAsync(new ReadEventsParams(id, after, EventPage), CancellationToken.None).ConfigureAwait(false);
            foreach (var e in events)
            {
                if (e.CreatedAt < since) continue;
                if (e.Type is EventTypes.Progress or EventTypes.Output or EventTypes.Warning) activity.AddEvent(new ActivityEvent(e.Type, e.CreatedAt));
            }
            if (events.Count < EventPage) return;
            after = events[^1].Seq;
        }
    }

    /// <summary>A remote attempt ended by its deadline (at claim or at heartbeat): counted finished and deadline-exceeded as the engine counts it.</summary>
    public Task DeadlineEndedAsync(LeaseToken token, Operation op)
    {
        metrics.Finished(op, OperationStatus.Failed, OperationErrors.DeadlineExceededCode, time.GetUtcNow());
        metrics.DeadlineExceeded(op.Kind);
        return EndedAsync(token, op, "failed", OperationErrors.DeadlineExceededCode);
    }

    /// <summary>
    /// A remote attempt whose write ended the operation by its tenant's <c>MaxEventsPerOperation</c> (the store answered
    /// <see cref="EventWriteOutcome.EndedByEventLimit"/> to that one write, ADR 0037): counted finished <c>failed</c> with
    /// <c>event_limit_exceeded</c> and as one refusal of the limit, and logged as a limit stop, as the engine does.
    /// </summary>
    public Task EventLimitEndedAsync(LeaseToken token, Operation op)
    {
        LogEventLimitStop(op.Id, op.Kind, op.Attempt);
        metrics.Finished(op, OperationStatus.Failed, OperationErrors.EventLimitExceededCode, time.GetUtcNow());
        limitMetrics?.Refused(Tenancy.TenantLimitMetrics.MaxEventsPerOperation);
        return EndedAsync(token, op, OperationStatus.Failed.ToWire(), OperationErrors.EventLimitExceededCode);
    }

    /// <summary>
    /// At a heartbeat of a lease that still holds: once the attempt passed its warning time, counts, logs and appends
    /// (under the lease) the SSE <c>warning</c> event <c>deadline_approaching</c>, once per attempt on this node.
    /// </summary>
    public async Task HeartbeatAsync(LeaseToken token)
    {
        if (token.WarnAt is not { } warnAt || token.DeadlineAt is not { } deadline) return;
        var now = time.GetUtcNow();
        if (now < warnAt || now >= deadline) return;
        if (_warned.Count > 100_000) _warned.Clear();
        if (!_warned.TryAdd((token.Id, token.Epoch), 0)) return;
        var op = await store.GetAsync(new GetParams(null, token.Id), CancellationToken.None).ConfigureAwait(false);
        if (op is null || op.LeaseEpoch != token.Epoch || op.Status != OperationStatus.Running) return;
        metrics.DeadlineApproaching(op.Kind);
        LogDeadlineApproaching(op.Id, op.Kind, (deadline - now).TotalSeconds);
        try
        {
            var written = await store.AppendWarningAsync(new WarningParams(token.Lease, RunningOperation.DeadlineApproachingData(op, deadline, options.Value.DeadlineWarningFraction)), CancellationToken.None).ConfigureAwait(false);
            if (written.Outcome == EventWriteOutcome.EndedByEventLimit) await EventLimitEndedAsync(token, op).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogWarningFailed(ex, op.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} ({Kind}) is approaching its deadline: {SecondsLeft:F1} s left")]
    private partial void LogDeadlineApproaching(string operationId, string kind, double secondsLeft);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: writing the deadline warning event failed")]
    private partial void LogWarningFailed(Exception ex, string operationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} ({Kind}) attempt {Attempt} (remote) wrote past its tenant's MaxEventsPerOperation; it failed with event_limit_exceeded")]
    private partial void LogEventLimitStop(string operationId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: reading its events for the remote attempt's span failed")]
    private partial void LogEventsFailed(Exception ex, string operationId);
}
