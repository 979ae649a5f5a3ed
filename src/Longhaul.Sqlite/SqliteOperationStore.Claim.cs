using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string ClaimSeqs = $"""
        UPDATE operations
        SET status = 1, attempt = attempt + 1, lease_epoch = lease_epoch + 1, lease_owner = $owner,
            lease_expires_at = $now + $lease, started_at = COALESCE(started_at, $now), updated_at = $now,
            last_event_seq = last_event_seq + 1
        WHERE seq IN (SELECT value FROM json_each($seqs)) AND status = 0
        RETURNING {Columns}
        """;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Operation>> ClaimAsync(ClaimParams p, CancellationToken cancellationToken)
    {
        var kinds = JsonSerializer.Serialize(p.Kinds, LonghaulJsonDefaults.Options);
        var rows = await _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            var picked = PickFairly(scope, p, kinds, now);
            var claimed = new List<object?[]>(picked.Count);
            if (picked.Count == 0) return claimed;
            using (var reader = scope.Command(ClaimSeqs)
                .P("$owner", p.Owner).P("$now", now).P("$lease", (long)p.LeaseDuration.TotalMilliseconds)
                .P("$seqs", JsonSerializer.Serialize(picked)).ExecuteReader())
            {
                while (reader.Read()) claimed.Add(Row(reader));
            }
            // The order they were picked in: turns over tenants, priority within each.
            var order = new Dictionary<long, int>(picked.Count);
            for (var i = 0; i < picked.Count; i++) order[picked[i]] = i;
            claimed.Sort((a, b) => order[(long)a[0]!].CompareTo(order[(long)b[0]!]));
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
