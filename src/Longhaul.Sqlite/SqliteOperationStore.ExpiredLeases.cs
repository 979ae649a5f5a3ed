using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    // The attempt's claim time is its 'running' status event (the claim logs it); the row keeps only the first start.
    private const string ExpiredRemoteLeases = """
        SELECT o.id, o.lease_epoch, o.attempt, o.lease_owner,
            (SELECT e.created_at FROM operation_events e
             WHERE e.operation_seq = o.seq AND e.type = 'status' AND json_extract(e.data, '$.status') = 'running'
               AND json_extract(e.data, '$.attempt') = o.attempt
             ORDER BY e.seq DESC LIMIT 1)
        FROM operations o
        WHERE o.status = 1 AND o.lease_expires_at < $now AND o.lease_owner LIKE 'remote/%'
        ORDER BY o.lease_expires_at
        LIMIT $limit
        """;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ExpiredLease>> ListExpiredRemoteLeasesAsync(ExpiredLeasesParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = ExpiredRemoteLeases;
        command.P("$now", Now()).P("$limit", p.Limit);
        var leases = new List<ExpiredLease>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            leases.Add(new ExpiredLease(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3), Time(reader, 4)));
        return leases;
    }
}
