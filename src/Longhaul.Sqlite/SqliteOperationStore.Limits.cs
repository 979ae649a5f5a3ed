using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    /// <summary>The tenant's pending count, kept by triggers in the same transaction as every change (ADR 0031): one row read.</summary>
    private const string CountPendingOfTenant = "SELECT COALESCE((SELECT pending FROM tenant_pending WHERE tenant = $tenant), 0)";

    /// <summary>
    /// The operation whose fenced event write was refused because its log is full (<c>max_events</c>, set at start from
    /// the tenant's limit) fails with <see cref="OperationErrors.EventLimitExceeded"/>; a write refused for a lost lease
    /// matches nothing here.
    /// </summary>
    private const string FailEventLimit = """
        UPDATE operations
        SET status = 3, error = $error, finished_at = $now, updated_at = $now,
            lease_owner = NULL, lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE id = $id AND lease_epoch = $epoch AND status = 1 AND max_events IS NOT NULL AND last_event_seq + $events > max_events
        RETURNING seq, last_event_seq, attempt
        """;

    private static long CountPending(WriteScope scope, string tenant)
        => (long)scope.Command(CountPendingOfTenant).P("$tenant", tenant).ExecuteScalar()!;

    /// <summary>
    /// After a fenced event write matched no row: when the reason is the operation's event limit, fails it in the same
    /// transaction (final events, webhook delivery, unfinished file chunks dropped). Never written: the write did not happen,
    /// and the lease no longer holds either way; <see cref="EventWriteResult.EndedByEventLimit"/> when this call ended it.
    /// </summary>
    private static EventWriteResult FailOverEventLimit(WriteScope scope, LeaseRef lease, int events, long now)
    {
        var row = Fenced(scope, scope.Command(FailEventLimit)
            .P("$error", ToJson(OperationErrors.EventLimitExceeded)).P("$now", now)
            .P("$id", lease.Id).P("$epoch", lease.Epoch).P("$events", events));
        if (row is not { } r) return EventWriteResult.Refused;
        AppendFinal(scope, r, OperationStatus.Failed, OperationErrors.EventLimitExceeded, now);
        scope.Command(DeleteUnfinishedFileChunks).P("$seq", r.OpSeq).ExecuteNonQuery();
        scope.Notify(StoreNotificationKind.OperationChanged, lease.Id);
        return EventWriteResult.EndedByEventLimit;
    }
}
