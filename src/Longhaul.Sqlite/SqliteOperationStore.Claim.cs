using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string Claim = $"""
        UPDATE operations
        SET status = 1, attempt = attempt + 1, lease_epoch = lease_epoch + 1, lease_owner = $owner,
            lease_expires_at = $now + $lease, started_at = COALESCE(started_at, $now), updated_at = $now,
            last_event_seq = last_event_seq + 1
        WHERE seq IN (SELECT seq FROM operations
                      WHERE status = 0 AND run_after <= $now AND kind IN (SELECT value FROM json_each($kinds))
                        AND ($tenant IS NULL OR tenant = $tenant)
                      ORDER BY priority DESC, seq LIMIT $max)
        RETURNING {Columns}
        """;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Operation>> ClaimAsync(ClaimParams p, CancellationToken cancellationToken)
    {
        var kinds = JsonSerializer.Serialize(p.Kinds, LonghaulJsonDefaults.Options);
        var rows = await _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            var claimed = new List<object?[]>();
            using (var reader = scope.Command(Claim)
                .P("$owner", p.Owner).P("$now", now).P("$lease", (long)p.LeaseDuration.TotalMilliseconds)
                .P("$kinds", kinds).P("$max", p.Max).P("$tenant", p.Tenant)
                .ExecuteReader())
            {
                while (reader.Read()) claimed.Add(Row(reader));
            }
            foreach (var row in claimed)
            {
                // Columns 0 (seq), 9 (attempt), 27 (last_event_seq): see Columns.
                AppendEvent(scope, (long)row[0]!, (long)row[27]!, EventTypes.Status, EventData.Status(OperationStatus.Running, (long)row[9]!), now);
                scope.Notify(StoreNotificationKind.OperationChanged, (string)row[1]!);
            }
            return claimed;
        }, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(FromRow);
    }
}
