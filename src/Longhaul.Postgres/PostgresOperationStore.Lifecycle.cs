using Longhaul.Contracts;
using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string CancelPending = $"""
        UPDATE operations
        SET status = 4, cancel_requested = true, error = @error, finished_at = {Now}, updated_at = {Now}, estimated_completion = NULL,
            last_event_seq = last_event_seq + 2
        WHERE id = @id AND {IsPending}
        RETURNING seq, last_event_seq, attempt
        """;

    private const string CancelRunning = $"""
        UPDATE operations SET cancel_requested = true, updated_at = {Now}, last_event_seq = last_event_seq + 1
        WHERE id = @id AND {IsRunning} AND NOT cancel_requested
        RETURNING seq, last_event_seq, attempt
        """;

    private const string LockOperation = $"SELECT {Columns} FROM operations WHERE id = @id AND (@tenant IS NULL OR tenant = @tenant) FOR UPDATE";

    /// <inheritdoc/>
    public Task<CancelResult> CancelAsync(CancelParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        // The row lock orders this cancel against a concurrent claim or completion of the same operation.
        Operation? op;
        await using (var command = scope.Command(LockOperation).P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text))
        {
            var found = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
            op = found.Count == 0 ? null : found[0];
        }
        if (op is null) return new CancelResult(CancelOutcome.NotFound, null);
        if (op.Done) return new CancelResult(CancelOutcome.AlreadyTerminal, op);
        if (op.Status == OperationStatus.Pending)
        {
            var row = await FencedAsync(scope.Command(CancelPending).P("id", p.Id, NpgsqlDbType.Text).P("error", ToJson(OperationErrors.Cancelled), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false);
            if (row is { } r)
            {
                await AppendFinalAsync(scope, r, OperationStatus.Cancelled, OperationErrors.Cancelled, cancellationToken).ConfigureAwait(false);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
                return new CancelResult(CancelOutcome.Cancelled, await SelectInScopeAsync(scope, p.Tenant, p.Id, cancellationToken).ConfigureAwait(false));
            }
        }
        else if (!op.CancelRequested)
        {
            var row = await FencedAsync(scope.Command(CancelRunning).P("id", p.Id, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
            if (row is { } r)
            {
                await AppendEventAsync(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Running, r.Attempt, cancelRequested: true), cancellationToken).ConfigureAwait(false);
                scope.Notify(StoreNotificationKind.CancelRequested, p.Id);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
            }
        }
        return new CancelResult(CancelOutcome.Requested, await SelectInScopeAsync(scope, p.Tenant, p.Id, cancellationToken).ConfigureAwait(false));
    }, cancellationToken);

    private const string SelectForDelete = "SELECT seq, status FROM operations WHERE id = @id AND tenant = @tenant FOR UPDATE";
    private const string DeleteEvents = "DELETE FROM operation_events WHERE operation_seq = @seq";
    private const string DeleteKeysOf = "DELETE FROM idempotency_keys WHERE operation_id = @id";
    private const string DeleteFilesOf = "DELETE FROM operation_files WHERE operation_seq = @seq";
    private const string DeleteFileChunksOf = "DELETE FROM operation_file_chunks WHERE operation_seq = @seq";
    private const string DeleteOperationRow = "DELETE FROM operations WHERE seq = @seq";
    private const string DeleteDeliveriesOf = """
        WITH d AS (DELETE FROM webhook_deliveries WHERE operation_seq = @seq RETURNING id)
        DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM d)
        """;

    /// <inheritdoc/>
    public Task<DeleteOutcome> DeleteAsync(DeleteParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        long seq;
        int status;
        await using (var command = scope.Command(SelectForDelete).P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return DeleteOutcome.NotFound;
            seq = reader.GetInt64(0);
            status = reader.GetInt32(1);
        }
        if (!((OperationStatus)status).IsTerminal()) return DeleteOutcome.NotTerminal;
        await ExecuteAsync(scope.Command(DeleteEvents).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteKeysOf).P("id", p.Id, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteFileChunksOf).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteFilesOf).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteDeliveriesOf).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteOperationRow).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
        return DeleteOutcome.Deleted;
    }, cancellationToken);

    private const string Retry = $"""
        UPDATE operations
        SET status = 0, run_after = {Now} + @delay, error = @error, updated_at = {Now}, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE id = @id AND lease_epoch = @epoch AND {IsRunning}
        RETURNING seq, last_event_seq, attempt, run_after
        """;

    /// <inheritdoc/>
    public Task<bool> RetryAsync(RetryParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        _claimedSeqs.TryRemove(p.Lease.Id, out _);
        _chunkWriters.TryRemove(p.Lease.Id, out _);
        ChangedRow? row = null;
        DateTimeOffset runAfter = default;
        await using (var command = scope.Command(Retry)
            .P("delay", p.Delay, NpgsqlDbType.Interval).P("error", ToJson(p.Error), NpgsqlDbType.Json)
            .P("id", p.Lease.Id, NpgsqlDbType.Text).P("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row = new ChangedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), null);
                runAfter = reader.GetFieldValue<DateTimeOffset>(3);
            }
        }
        if (row is not { } r) return false;
        await AppendEventAsync(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, p.Error, "retry", runAfter), cancellationToken).ConfigureAwait(false);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
        return true;
    }, cancellationToken);

    private const string HandBack = $"""
        UPDATE operations
        SET status = 0, attempt = attempt - 1, run_after = {Now}, updated_at = {Now}, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE id = @id AND lease_epoch = @epoch AND {IsRunning}
        RETURNING seq, last_event_seq, attempt
        """;

    /// <inheritdoc/>
    public Task<bool> HandBackAsync(HandBackParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        _claimedSeqs.TryRemove(p.Lease.Id, out _);
        _chunkWriters.TryRemove(p.Lease.Id, out _);
        var row = await FencedAsync(scope.Command(HandBack).P("id", p.Lease.Id, NpgsqlDbType.Text).P("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        if (row is not { } r) return false;
        await AppendEventAsync(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, reason: "handed_back"), cancellationToken).ConfigureAwait(false);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
        scope.Notify(StoreNotificationKind.WorkAvailable);
        return true;
    }, cancellationToken);
}
