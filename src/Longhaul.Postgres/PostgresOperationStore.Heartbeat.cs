using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // Rows are locked in seq order first, so two batches over overlapping operations cannot deadlock each other.
    private const string Heartbeat = $"""
        WITH mine AS (
            SELECT o.seq FROM operations o JOIN unnest(@ids, @epochs) AS l(id, epoch) ON o.id = l.id AND o.lease_epoch = l.epoch
            WHERE o.status = 1
            ORDER BY o.seq
            FOR UPDATE OF o
        )
        UPDATE operations o SET lease_expires_at = {Now} + @lease
        FROM mine WHERE o.seq = mine.seq
        RETURNING o.id, o.cancel_requested
        """;

    /// <inheritdoc/>
    public Task<HeartbeatResult> HeartbeatAsync(HeartbeatParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var renewed = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using (var command = scope.Command(Heartbeat)
            .P("lease", p.LeaseDuration, NpgsqlDbType.Interval)
            .P("ids", p.Leases.Select(l => l.Id).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .P("epochs", p.Leases.Select(l => l.Epoch).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) renewed[reader.GetString(0)] = reader.GetBoolean(1);
        }
        var lost = new List<string>();
        var cancel = new List<string>();
        foreach (var lease in p.Leases)
        {
            if (!renewed.TryGetValue(lease.Id, out var cancelRequested)) lost.Add(lease.Id);
            else if (cancelRequested) cancel.Add(lease.Id);
        }
        return new HeartbeatResult(lost, cancel);
    }, cancellationToken);
}
