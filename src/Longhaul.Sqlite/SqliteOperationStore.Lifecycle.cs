using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string CancelPending = """
        UPDATE operations
        SET status = 4, cancel_requested = 1, error = $error, finished_at = $now, updated_at = $now, estimated_completion = NULL,
            last_event_seq = last_event_seq + 2
        WHERE id = $id AND status = 0
        RETURNING seq, last_event_seq, attempt
        """;

    private const string CancelRunning = """
        UPDATE operations SET cancel_requested = 1, updated_at = $now, last_event_seq = last_event_seq + 1
        WHERE id = $id AND status = 1 AND cancel_requested = 0
        RETURNING seq, last_event_seq, attempt
        """;

    /// <inheritdoc/>
    public Task<CancelResult> CancelAsync(CancelParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var op = SelectInWriter(scope, p.Tenant, p.Id);
        if (op is null) return new CancelResult(CancelOutcome.NotFound, null);
        if (op.Done) return new CancelResult(CancelOutcome.AlreadyTerminal, op);
        var now = Now();
        if (op.Status == OperationStatus.Pending)
        {
            var row = Fenced(scope, scope.Command(CancelPending).P("$id", p.Id).P("$error", ToJson(OperationErrors.Cancelled)).P("$now", now));
            if (row is { } r)
            {
                AppendFinal(scope, r, OperationStatus.Cancelled, OperationErrors.Cancelled, now);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
                return new CancelResult(CancelOutcome.Cancelled, SelectInWriter(scope, p.Tenant, p.Id));
            }
        }
        else if (!op.CancelRequested)
        {
            var row = Fenced(scope, scope.Command(CancelRunning).P("$id", p.Id).P("$now", now));
            if (row is { } r)
            {
                AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Running, r.Attempt, cancelRequested: true), now);
                scope.Notify(StoreNotificationKind.CancelRequested, p.Id);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
            }
        }
        return new CancelResult(CancelOutcome.Requested, SelectInWriter(scope, p.Tenant, p.Id));
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteOutcome> DeleteAsync(DeleteParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        long seq;
        int status;
        using (var reader = scope.Command("SELECT seq, status FROM operations WHERE id = $id AND tenant = $tenant").P("$id", p.Id).P("$tenant", p.Tenant).ExecuteReader())
        {
            if (!reader.Read()) return DeleteOutcome.NotFound;
            seq = reader.GetInt64(0);
            status = reader.GetInt32(1);
        }
        if (!((OperationStatus)status).IsTerminal()) return DeleteOutcome.NotTerminal;
        DeleteOperation(scope, seq, p.Id);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
        return DeleteOutcome.Deleted;
    }, cancellationToken);

    private const string Retry = """
        UPDATE operations
        SET status = 0, run_after = $runAfter, error = $error, updated_at = $now, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        RETURNING seq, last_event_seq, attempt
        """;

    /// <inheritdoc/>
    public Task<bool> RetryAsync(RetryParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        var runAfter = now + (long)p.Delay.TotalMilliseconds;
        var row = Fenced(scope, scope.Command(Retry)
            .P("$runAfter", runAfter).P("$error", ToJson(p.Error)).P("$now", now).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch));
        if (row is not { } r) return false;
        AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, p.Error, "retry", Time(runAfter)), now);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
        return true;
    }, cancellationToken);

    private const string HandBack = """
        UPDATE operations
        SET status = 0, attempt = attempt - 1, run_after = $now, updated_at = $now, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        RETURNING seq, last_event_seq, attempt
        """;

    /// <inheritdoc/>
    public Task<bool> HandBackAsync(HandBackParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        if (Fenced(scope, scope.Command(HandBack).P("$now", now).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch)) is not { } r) return false;
        AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, reason: "handed_back"), now);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
        scope.Notify(StoreNotificationKind.WorkAvailable);
        return true;
    }, cancellationToken);
}
