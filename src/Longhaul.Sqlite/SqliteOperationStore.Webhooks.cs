using System.Globalization;
using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string DeliveryColumns = """
        id, operation_id, tenant, url, event_type, status, attempts, next_attempt_at, window_start, created_at,
        lease_epoch, lease_owner, lease_expires_at
        """;

    /// <summary>The delivery of a just-finished operation (row <c>$op</c>), when it has a callback URL; its id is the <c>webhook-id</c>.</summary>
    private const string InsertDelivery = """
        INSERT OR IGNORE INTO webhook_deliveries (id, operation_seq, operation_id, tenant, url, event_type, next_attempt_at, window_start, created_at, updated_at)
        SELECT CASE WHEN substr(id, 1, 3) = 'op_' THEN 'msg_' || substr(id, 4) ELSE 'msg_' || id END, seq, id, tenant, callback_url,
            CASE status WHEN 2 THEN 'operation.succeeded' WHEN 3 THEN 'operation.failed' ELSE 'operation.cancelled' END,
            $now, $now, $now, $now
        FROM operations WHERE seq = $op AND callback_url IS NOT NULL
        """;

    // Due pending deliveries and lost nodes' ones (delivering, lease expired), oldest due first.
    private const string ClaimDeliveries = $"""
        UPDATE webhook_deliveries
        SET status = 1, lease_owner = $owner, lease_epoch = lease_epoch + 1, lease_expires_at = $until, updated_at = $now
        WHERE id IN (
            SELECT id FROM (
                SELECT id, next_attempt_at AS due FROM webhook_deliveries WHERE status = 0 AND next_attempt_at <= $now
                UNION ALL
                SELECT id, lease_expires_at AS due FROM webhook_deliveries WHERE status = 1 AND lease_expires_at < $cutoff
            ) ORDER BY due LIMIT $max)
        RETURNING {DeliveryColumns}
        """;

    private const string SelectClaimedDelivery = "SELECT attempts, window_start FROM webhook_deliveries WHERE id = $id AND lease_epoch = $epoch AND status = 1";

    private const string FinishAttempt = """
        UPDATE webhook_deliveries
        SET status = $status, attempts = attempts + 1, next_attempt_at = COALESCE($next, next_attempt_at), updated_at = $now,
            lease_owner = NULL, lease_expires_at = NULL
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        """;

    private const string InsertAttempt = """
        INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, outcome, next_attempt_at)
        VALUES ($id, $attempt, $started, $duration, $code, $error, $status, $next)
        """;

    private const string Defer = """
        UPDATE webhook_deliveries SET status = 0, next_attempt_at = $next, updated_at = $now, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        """;

    private const string Redeliver = """
        UPDATE webhook_deliveries SET status = 0, next_attempt_at = $now, window_start = $now, updated_at = $now
        WHERE id = $id AND operation_id = $op AND tenant = $tenant AND status <> 1
        """;

    private const string DeliveryExists = "SELECT 1 FROM webhook_deliveries WHERE id = $id AND operation_id = $op AND tenant = $tenant";

    private const string AnyDeliveryDue = """
        SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE status = 0 AND next_attempt_at <= $now)
            OR EXISTS (SELECT 1 FROM webhook_deliveries WHERE status = 1 AND lease_expires_at < $cutoff)
        """;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(ClaimDeliveriesParams p, CancellationToken cancellationToken)
    {
        // The idle case (every poll, and after every burst of finished operations) is answered by a read through the
        // partial indexes, so the single writer is not handed an empty write transaction each time.
        var now = Now();
        await using (var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false))
        await using (var check = connection.CreateCommand())
        {
            check.CommandText = AnyDeliveryDue;
            check.P("$now", now).P("$cutoff", Math.Max(now, p.LeasesExpiringBefore?.ToUnixTimeMilliseconds() ?? now));
            if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0) return [];
        }
        return await ClaimDueDeliveriesAsync(p, cancellationToken).ConfigureAwait(false);
    }

    private Task<IReadOnlyList<WebhookDelivery>> ClaimDueDeliveriesAsync(ClaimDeliveriesParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        var command = scope.Command(ClaimDeliveries).P("$owner", p.Owner).P("$until", now + (long)p.LeaseDuration.TotalMilliseconds)
            .P("$now", now).P("$max", p.Max).P("$cutoff", Math.Max(now, p.LeasesExpiringBefore?.ToUnixTimeMilliseconds() ?? now));
        var claimed = new List<WebhookDelivery>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) claimed.Add(ReadDelivery(reader));
        return (IReadOnlyList<WebhookDelivery>)claimed;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RecordDeliveryAttemptAsync(DeliveryAttemptParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        int attempts;
        long windowStart;
        using (var reader = scope.Command(SelectClaimedDelivery).P("$id", p.DeliveryId).P("$epoch", p.Epoch).ExecuteReader())
        {
            if (!reader.Read()) return false;
            attempts = reader.GetInt32(0);
            windowStart = reader.GetInt64(1);
        }
        var now = Now();
        var status = p.Outcome;
        long? next = null;
        if (status == WebhookDeliveryStatus.Pending)
        {
            next = now + (long)p.RetryDelay.TotalMilliseconds;
            if (next > windowStart + (long)p.RetryWindow.TotalMilliseconds)
            {
                status = WebhookDeliveryStatus.Failed;
                next = null;
            }
        }
        scope.Command(FinishAttempt).P("$status", (int)status).P("$next", next).P("$now", now).P("$id", p.DeliveryId).P("$epoch", p.Epoch).ExecuteNonQuery();
        scope.Command(InsertAttempt).P("$id", p.DeliveryId).P("$attempt", attempts + 1).P("$started", p.StartedAt.ToUnixTimeMilliseconds())
            .P("$duration", p.DurationMs).P("$code", p.StatusCode).P("$error", p.Error).P("$status", (int)status).P("$next", next).ExecuteNonQuery();
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeferDeliveryAsync(DeferDeliveryParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        return scope.Command(Defer).P("$next", now + (long)p.Delay.TotalMilliseconds).P("$now", now)
            .P("$id", p.DeliveryId).P("$epoch", p.Epoch).ExecuteNonQuery() > 0;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<DeliveryLog?> ReadDeliveryLogAsync(DeliveryLogParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM operations WHERE id = $id AND tenant = $tenant";
        command.Parameters.AddWithValue("$id", p.OperationId);
        command.Parameters.AddWithValue("$tenant", p.Tenant);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long seq) return null;
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$seq", seq);
        command.CommandText = $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE operation_seq = $seq ORDER BY created_at, id";
        var deliveries = new List<WebhookDelivery>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) deliveries.Add(ReadDelivery(reader));
        }
        command.CommandText = """
            SELECT a.delivery_id, a.attempt, a.started_at, a.duration_ms, a.status_code, a.error, a.outcome, a.next_attempt_at
            FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
            WHERE d.operation_seq = $seq ORDER BY a.delivery_id, a.attempt
            """;
        var attempts = new List<WebhookAttempt>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                attempts.Add(new WebhookAttempt(reader.GetString(0), reader.GetInt32(1), Time(reader.GetInt64(2)), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    (WebhookDeliveryStatus)reader.GetInt32(6), Time(reader, 7)));
            }
        }
        return new DeliveryLog(deliveries, attempts);
    }

    /// <inheritdoc/>
    public Task<RedeliverOutcome> RedeliverAsync(RedeliverParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var changed = scope.Command(Redeliver).P("$now", Now()).P("$id", p.DeliveryId).P("$op", p.OperationId).P("$tenant", p.Tenant).ExecuteNonQuery();
        if (changed > 0) return RedeliverOutcome.Scheduled;
        return scope.Command(DeliveryExists).P("$id", p.DeliveryId).P("$op", p.OperationId).P("$tenant", p.Tenant).ExecuteScalar() is null
            ? RedeliverOutcome.NotFound
            : RedeliverOutcome.Scheduled;
    }, cancellationToken);

    private static WebhookDelivery ReadDelivery(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        OperationId = r.GetString(1),
        Tenant = r.GetString(2),
        Url = r.GetString(3),
        EventType = r.GetString(4),
        Status = (WebhookDeliveryStatus)r.GetInt32(5),
        Attempts = r.GetInt32(6),
        NextAttemptAt = Time(r.GetInt64(7)),
        WindowStart = Time(r.GetInt64(8)),
        CreatedAt = Time(r.GetInt64(9)),
        LeaseEpoch = r.GetInt64(10),
        LeaseOwner = r.IsDBNull(11) ? null : r.GetString(11),
        LeaseExpiresAt = Time(r, 12),
    };
}
