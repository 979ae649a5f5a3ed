using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string PruneOperations = $"""
        WITH victims AS (
            SELECT seq, id FROM operations WHERE status >= 2 AND finished_at < {Now} - @retention
            ORDER BY finished_at LIMIT @n FOR UPDATE SKIP LOCKED
        ), events AS (
            DELETE FROM operation_events WHERE operation_seq IN (SELECT seq FROM victims)
        ), keys AS (
            DELETE FROM idempotency_keys WHERE operation_id IN (SELECT id FROM victims)
        ), chunks AS (
            DELETE FROM operation_file_chunks WHERE operation_seq IN (SELECT seq FROM victims)
        ), files AS (
            DELETE FROM operation_files WHERE operation_seq IN (SELECT seq FROM victims)
        ), deliveries AS (
            DELETE FROM webhook_deliveries WHERE operation_seq IN (SELECT seq FROM victims) RETURNING id
        ), attempts AS (
            DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM deliveries)
        )
        DELETE FROM operations WHERE seq IN (SELECT seq FROM victims)
        """;

    private const string PruneIdempotencyKeys = $"DELETE FROM idempotency_keys WHERE expires_at <= {Now}";

    /// <inheritdoc/>
    public Task<int> PruneAsync(PruneParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var pruned = await ExecuteAsync(scope.Command(PruneOperations)
            .P("retention", p.Retention, NpgsqlDbType.Interval).P("n", p.BatchSize, NpgsqlDbType.Integer), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(PruneIdempotencyKeys), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(PruneUploads), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(PruneWorkers).P("retention", p.WorkerRetention ?? PruneParams.DefaultWorkerRetention, NpgsqlDbType.Interval), cancellationToken)
            .ConfigureAwait(false);
        return pruned;
    }, cancellationToken);
}
