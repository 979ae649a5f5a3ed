using Longhaul.Contracts;
using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // Orphans: running with an expired lease (or, when asked for all leases, every running operation). Written
    // without OR so the partial index on running leases serves both forms.
    private const string OrphanFilter = $"status = 1 AND lease_expires_at < CASE WHEN @all THEN 'infinity'::timestamptz ELSE {Now} END";

    private const string ReapCancelled = $"""
        UPDATE operations SET status = 4, error = @error, finished_at = {Now}, updated_at = {Now}, lease_owner = NULL,
            lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE {OrphanFilter} AND cancel_requested
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string ReapExhausted = $"""
        UPDATE operations SET status = 3, error = @error, finished_at = {Now}, updated_at = {Now}, lease_owner = NULL,
            lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE {OrphanFilter} AND attempt >= max_attempts
        RETURNING seq, last_event_seq, attempt, id
        """;

    // An orphan already past its deadline is not requeued only to fail in the same sweep: ReapDeadlines fails it.
    private const string ReapRequeue = $"""
        UPDATE operations SET status = 0, run_after = {Now}, updated_at = {Now}, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE {OrphanFilter} AND (deadline_at IS NULL OR deadline_at > {Now})
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string ReapDeadlines = $"""
        UPDATE operations SET status = 3, error = @error, finished_at = {Now}, updated_at = {Now}, estimated_completion = NULL,
            lease_owner = NULL, lease_expires_at = NULL, last_event_seq = last_event_seq + 2
        WHERE (status = 0 OR ({OrphanFilter})) AND deadline_at IS NOT NULL AND deadline_at <= {Now}
        RETURNING seq, last_event_seq, attempt, id
        """;

    // Issue 19: a first attempt not started by options.start_by (a retry has started, so it is not held to it).
    private const string ReapStartDeadlines = $"""
        UPDATE operations SET status = 3, error = @error, finished_at = {Now}, updated_at = {Now}, estimated_completion = NULL,
            last_event_seq = last_event_seq + 2
        WHERE status = 0 AND start_by IS NOT NULL AND start_by <= {Now} AND attempt = 0
        RETURNING seq, last_event_seq, attempt, id
        """;

    /// <inheritdoc/>
    public Task<ReapResult> ReapAsync(ReapParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var failed = 0;
        foreach (var r in await RowsAsync(scope.Command(ReapCancelled).P("all", p.AllLeasesOf, NpgsqlDbType.Boolean).P("error", ToJson(OperationErrors.Cancelled), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false))
        {
            await AppendFinalAsync(scope, r, OperationStatus.Cancelled, OperationErrors.Cancelled, cancellationToken).ConfigureAwait(false);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
        }
        foreach (var r in await RowsAsync(scope.Command(ReapExhausted).P("all", p.AllLeasesOf, NpgsqlDbType.Boolean).P("error", ToJson(OperationErrors.WorkerLost), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false))
        {
            await AppendFinalAsync(scope, r, OperationStatus.Failed, OperationErrors.WorkerLost, cancellationToken).ConfigureAwait(false);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        var requeued = await RowsAsync(scope.Command(ReapRequeue).P("all", p.AllLeasesOf, NpgsqlDbType.Boolean), cancellationToken).ConfigureAwait(false);
        if (requeued.Count > 0)
        {
            await AppendEventsAsync(scope, EventTypes.Status,
                requeued.ConvertAll(r => (r.OpSeq, r.LastSeq, EventData.Status(OperationStatus.Pending, r.Attempt, reason: "lease_expired"))),
                cancellationToken).ConfigureAwait(false);
            foreach (var r in requeued) scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            scope.Notify(StoreNotificationKind.WorkAvailable);
        }
        foreach (var r in await RowsAsync(scope.Command(ReapDeadlines).P("all", p.AllLeasesOf, NpgsqlDbType.Boolean).P("error", ToJson(OperationErrors.DeadlineExceeded), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false))
        {
            await AppendFinalAsync(scope, r, OperationStatus.Failed, OperationErrors.DeadlineExceeded, cancellationToken).ConfigureAwait(false);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        foreach (var r in await RowsAsync(scope.Command(ReapStartDeadlines).P("error", ToJson(OperationErrors.StartDeadlinePassed), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false))
        {
            await AppendFinalAsync(scope, r, OperationStatus.Failed, OperationErrors.StartDeadlinePassed, cancellationToken).ConfigureAwait(false);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        return new ReapResult(requeued.Count, failed);
    }, cancellationToken);
}
