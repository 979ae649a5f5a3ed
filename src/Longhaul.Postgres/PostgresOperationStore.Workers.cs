using System.Text.Json;
using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string RecordWorker = $"""
        INSERT INTO workers (tenant, name, key_id, kinds, node, first_seen_at, last_seen_at, last_claim_at)
        VALUES (@tenant, @name, @key, @kinds, @node, {Now}, {Now}, CASE WHEN @claimed THEN {Now} END)
        ON CONFLICT (tenant, name) DO UPDATE SET key_id = EXCLUDED.key_id, kinds = COALESCE(EXCLUDED.kinds, workers.kinds), node = EXCLUDED.node,
            last_seen_at = EXCLUDED.last_seen_at, last_claim_at = COALESCE(EXCLUDED.last_claim_at, workers.last_claim_at)
        """;

    // The leases held now, counted once per owner and tenant over the running operations, then summed per worker: a
    // worker's leases are those owned by remote/{name} in its tenant (any for '*').
    private const string ListWorkers = $"""
        WITH held AS MATERIALIZED (
            SELECT lease_owner AS owner, tenant, count(*) AS n FROM operations
            WHERE status = 1 AND lease_expires_at > {Now} AND (@tenant = '*' OR tenant = @tenant)
            GROUP BY lease_owner, tenant)
        SELECT w.tenant, w.name, w.key_id, w.kinds, w.node, w.first_seen_at, w.last_seen_at, w.last_claim_at,
            COALESCE((SELECT sum(h.n) FROM held h WHERE h.owner = 'remote/' || w.name AND (w.tenant = '*' OR h.tenant = w.tenant)), 0)::integer,
            {Now}
        FROM workers w
        WHERE @tenant = '*' OR w.tenant IN (@tenant, '*')
        ORDER BY w.last_seen_at DESC, w.tenant, w.name
        LIMIT @limit
        """;

    private const string PruneWorkers = $"DELETE FROM workers WHERE last_seen_at < {Now} - @retention";

    /// <inheritdoc/>
    public Task RecordWorkerAsync(RecordWorkerParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        await using var command = scope.Command(RecordWorker)
            .P("tenant", p.Tenant, NpgsqlDbType.Text).P("name", p.Name, NpgsqlDbType.Text).P("key", p.KeyId, NpgsqlDbType.Text)
            .P("kinds", p.Kinds is null ? null : JsonSerializer.Serialize(p.Kinds, LonghaulJsonDefaults.Options), NpgsqlDbType.Text)
            .P("node", p.Node, NpgsqlDbType.Text).P("claimed", p.Claimed, NpgsqlDbType.Boolean);
        return await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(ListWorkersParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(ListWorkers).P("tenant", p.Tenant, NpgsqlDbType.Text).P("limit", p.Limit, NpgsqlDbType.Integer);
        var workers = new List<WorkerRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var kinds = reader.IsDBNull(3) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(3), LonghaulJsonDefaults.Options) ?? [];
            workers.Add(new WorkerRecord(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), kinds,
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), Time(reader, 7), reader.GetInt32(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }
        return workers;
    }
}
