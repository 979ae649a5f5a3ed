using System.Text.Json;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string RecordWorker = """
        INSERT INTO workers (tenant, name, key_id, kinds, node, first_seen_at, last_seen_at, last_claim_at)
        VALUES ($tenant, $name, $key, $kinds, $node, $now, $now, CASE WHEN $claimed THEN $now END)
        ON CONFLICT (tenant, name) DO UPDATE SET key_id = excluded.key_id, kinds = COALESCE(excluded.kinds, kinds), node = excluded.node,
            last_seen_at = excluded.last_seen_at, last_claim_at = COALESCE(excluded.last_claim_at, last_claim_at)
        """;

    // The leases held now, counted once per owner and tenant over the running operations (the partial index on running
    // leases), then summed per worker: a worker's leases are those owned by remote/{name} in its tenant (any for '*').
    private const string ListWorkers = """
        WITH held AS MATERIALIZED (
            SELECT lease_owner AS owner, tenant, count(*) AS n FROM operations
            WHERE status = 1 AND lease_expires_at > $now AND ($tenant = '*' OR tenant = $tenant)
            GROUP BY lease_owner, tenant)
        SELECT w.tenant, w.name, w.key_id, w.kinds, w.node, w.first_seen_at, w.last_seen_at, w.last_claim_at,
            COALESCE((SELECT sum(h.n) FROM held h WHERE h.owner = 'remote/' || w.name AND (w.tenant = '*' OR h.tenant = w.tenant)), 0)
        FROM workers w
        WHERE $tenant = '*' OR w.tenant IN ($tenant, '*')
        ORDER BY w.last_seen_at DESC, w.tenant, w.name
        LIMIT $limit
        """;

    private const string PruneWorkers = "DELETE FROM workers WHERE last_seen_at < $cutoff";

    /// <inheritdoc/>
    public Task RecordWorkerAsync(RecordWorkerParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        scope.Command(RecordWorker)
            .P("$tenant", p.Tenant).P("$name", p.Name).P("$key", p.KeyId)
            .P("$kinds", p.Kinds is null ? null : JsonSerializer.Serialize(p.Kinds, LonghaulJsonDefaults.Options))
            .P("$node", p.Node).P("$now", Now()).P("$claimed", p.Claimed ? 1 : 0).ExecuteNonQuery();
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(ListWorkersParams p, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = ListWorkers;
        command.P("$tenant", p.Tenant).P("$now", now).P("$limit", p.Limit);
        var workers = new List<WorkerRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var kinds = reader.IsDBNull(3) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(3), LonghaulJsonDefaults.Options) ?? [];
            workers.Add(new WorkerRecord(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), kinds,
                reader.GetString(4), Time(reader.GetInt64(5)), Time(reader.GetInt64(6)), Time(reader, 7), reader.GetInt32(8), Time(now)));
        }
        return workers;
    }
}
