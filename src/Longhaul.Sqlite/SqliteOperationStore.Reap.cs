using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    // Orphans: running with an expired lease (or, on a single-owner store's start, every running operation). Written
    // without OR so the partial index on running leases serves both forms.
    private const string OrphanFilter = "status = 1 AND lease_expires_at < $cutoff";

    private const string ReapCancelled = $"""
        UPDATE operations SET status = 4, error = $error, finished_at = $now, updated_at = $now, lease_owner = NULL,
            lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE {OrphanFilter} AND cancel_requested = 1
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string ReapExhausted = $"""
        UPDATE operations SET status = 3, error = $error, finished_at = $now, updated_at = $now, lease_owner = NULL,
            lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE {OrphanFilter} AND attempt >= max_attempts
        RETURNING seq, last_event_seq, attempt, id
        """;

    // An orphan already past its deadline is not requeued only to fail in the same sweep: ReapDeadlines fails it.
    private const string ReapRequeue = $"""
        UPDATE operations SET status = 0, run_after = $now, updated_at = $now, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE {OrphanFilter} AND (deadline_at IS NULL OR deadline_at > $now)
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string ReapDeadlines = $"""
        UPDATE operations SET status = 3, error = $error, finished_at = $now, updated_at = $now, estimated_completion = NULL,
            lease_owner = NULL, lease_expires_at = NULL, last_event_seq = last_event_seq + 2
        WHERE (status = 0 OR ({OrphanFilter})) AND deadline_at IS NOT NULL AND deadline_at <= $now
        RETURNING seq, last_event_seq, attempt, id
        """;

    // Issue 19: a first attempt not started by options.start_by (a retry has started, so it is not held to it).
    private const string ReapStartDeadlines = """
        UPDATE operations SET status = 3, error = $error, finished_at = $now, updated_at = $now, estimated_completion = NULL,
            last_event_seq = last_event_seq + 2
        WHERE status = 0 AND start_by IS NOT NULL AND start_by <= $now AND attempt = 0
        RETURNING seq, last_event_seq, attempt, id
        """;

    /// <inheritdoc/>
    public Task<ReapResult> ReapAsync(ReapParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        var cutoff = p.AllLeasesOf ? long.MaxValue : now;
        var failed = 0;
        foreach (var r in Rows(scope.Command(ReapCancelled).P("$cutoff", cutoff).P("$now", now).P("$error", ToJson(OperationErrors.Cancelled))))
        {
            AppendFinal(scope, r, OperationStatus.Cancelled, OperationErrors.Cancelled, now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
        }
        foreach (var r in Rows(scope.Command(ReapExhausted).P("$cutoff", cutoff).P("$now", now).P("$error", ToJson(OperationErrors.WorkerLost))))
        {
            AppendFinal(scope, r, OperationStatus.Failed, OperationErrors.WorkerLost, now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        var requeued = Rows(scope.Command(ReapRequeue).P("$cutoff", cutoff).P("$now", now));
        foreach (var r in requeued)
        {
            AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, reason: "lease_expired"), now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
        }
        if (requeued.Count > 0) scope.Notify(StoreNotificationKind.WorkAvailable);
        foreach (var r in Rows(scope.Command(ReapDeadlines).P("$cutoff", cutoff).P("$now", now).P("$error", ToJson(OperationErrors.DeadlineExceeded))))
        {
            AppendFinal(scope, r, OperationStatus.Failed, OperationErrors.DeadlineExceeded, now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        foreach (var r in Rows(scope.Command(ReapStartDeadlines).P("$now", now).P("$error", ToJson(OperationErrors.StartDeadlinePassed))))
        {
            AppendFinal(scope, r, OperationStatus.Failed, OperationErrors.StartDeadlinePassed, now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        return new ReapResult(requeued.Count, failed);
    }, cancellationToken);
}
