using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string DeliveryColumns = """
        id, operation_id, tenant, url, event_type, status, attempts, next_attempt_at, window_start, created_at,
        lease_epoch, lease_owner, lease_expires_at
        """;

    // Due pending deliveries and lost nodes' ones (delivering, lease expired), oldest due first; rows another node is
    // claiming are skipped, never waited for.
    private const string ClaimDeliveries = $"""
        WITH due AS (
            SELECT id FROM (
                (SELECT id, next_attempt_at AS due FROM webhook_deliveries WHERE status = 0 AND next_attempt_at <= {Now}
                 ORDER BY next_attempt_at LIMIT @max)
                UNION ALL
                (SELECT id, lease_expires_at AS due FROM webhook_deliveries WHERE status = 1 AND lease_expires_at < GREATEST({Now}, @before)
                 ORDER BY lease_expires_at LIMIT @max)
            ) d ORDER BY due LIMIT @max
        ), mine AS (
            SELECT w.id AS claim_id FROM webhook_deliveries w JOIN due ON due.id = w.id
            WHERE (w.status = 0 AND w.next_attempt_at <= {Now}) OR (w.status = 1 AND w.lease_expires_at < GREATEST({Now}, @before))
            FOR UPDATE OF w SKIP LOCKED
        )
        UPDATE webhook_deliveries w
        SET status = 1, lease_owner = @owner, lease_epoch = w.lease_epoch + 1, lease_expires_at = {Now} + @lease, updated_at = {Now}
        FROM mine WHERE w.id = mine.claim_id
        RETURNING {DeliveryColumns}
        """;

    // The outcome decided in SQL against the store's clock: a retry due past the window fails instead.
    private const string RecordAttempt = $"""
        WITH d AS (
            SELECT id, attempts + 1 AS attempt,
                CASE WHEN @status = 0 AND {Now} + @delay > window_start + @window THEN 4 ELSE @status END AS outcome
            FROM webhook_deliveries WHERE id = @id AND lease_epoch = @epoch AND status = 1
            FOR UPDATE
        ), u AS (
            UPDATE webhook_deliveries w
            SET status = d.outcome, attempts = d.attempt,
                next_attempt_at = CASE WHEN d.outcome = 0 THEN {Now} + @delay ELSE w.next_attempt_at END,
                updated_at = {Now}, lease_owner = NULL, lease_expires_at = NULL
            FROM d WHERE w.id = d.id
            RETURNING w.id, d.attempt, d.outcome, CASE WHEN d.outcome = 0 THEN {Now} + @delay END AS next
        )
        INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, outcome, next_attempt_at)
        SELECT id, attempt, @started, @duration, @code, @error, outcome, next FROM u
        RETURNING attempt
        """;

    private const string Defer = $"""
        UPDATE webhook_deliveries SET status = 0, next_attempt_at = {Now} + @delay, updated_at = {Now}, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = @id AND lease_epoch = @epoch AND status = 1
        """;

    private const string SelectOperationSeq = "SELECT seq FROM operations WHERE id = @id AND tenant = @tenant";

    private const string SelectDeliveries = $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE operation_seq = @seq ORDER BY created_at, id";

    private const string SelectAttempts = """
        SELECT a.delivery_id, a.attempt, a.started_at, a.duration_ms, a.status_code, a.error, a.outcome, a.next_attempt_at
        FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
        WHERE d.operation_seq = @seq ORDER BY a.delivery_id, a.attempt
        """;

    private const string Redeliver = $"""
        WITH target AS (
            SELECT id, status FROM webhook_deliveries WHERE id = @id AND operation_id = @op AND tenant = @tenant FOR UPDATE
        ), u AS (
            UPDATE webhook_deliveries w SET status = 0, next_attempt_at = {Now}, window_start = {Now}, updated_at = {Now}
            FROM target WHERE w.id = target.id AND target.status <> 1
        )
        SELECT count(*) FROM target
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(ClaimDeliveriesParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var claimed = new List<WebhookDelivery>();
        await using var command = scope.Command(ClaimDeliveries).P("owner", p.Owner, NpgsqlDbType.Text)
            .P("lease", p.LeaseDuration, NpgsqlDbType.Interval).P("max", p.Max, NpgsqlDbType.Integer).P("before", p.LeasesExpiringBefore?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) claimed.Add(ReadDelivery(reader));
        return (IReadOnlyList<WebhookDelivery>)claimed;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RecordDeliveryAttemptAsync(DeliveryAttemptParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        await using var command = scope.Command(RecordAttempt)
            .P("status", (int)p.Outcome, NpgsqlDbType.Integer).P("delay", p.RetryDelay, NpgsqlDbType.Interval)
            .P("window", p.RetryWindow, NpgsqlDbType.Interval).P("id", p.DeliveryId, NpgsqlDbType.Text).P("epoch", p.Epoch, NpgsqlDbType.Bigint)
            .P("started", p.StartedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz).P("duration", p.DurationMs, NpgsqlDbType.Integer)
            .P("code", p.StatusCode, NpgsqlDbType.Integer).P("error", p.Error, NpgsqlDbType.Text);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeferDeliveryAsync(DeferDeliveryParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
        await ExecuteAsync(scope.Command(Defer).P("delay", p.Delay, NpgsqlDbType.Interval).P("id", p.DeliveryId, NpgsqlDbType.Text)
            .P("epoch", p.Epoch, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    /// <inheritdoc/>
    public async Task<DeliveryLog?> ReadDeliveryLogAsync(DeliveryLogParams p, CancellationToken cancellationToken)
    {
        long seq;
        await using (var command = ReadCommand(SelectOperationSeq).P("id", p.OperationId, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text))
        {
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long found) return null;
            seq = found;
        }
        var deliveries = new List<WebhookDelivery>();
        await using (var command = ReadCommand(SelectDeliveries).P("seq", seq, NpgsqlDbType.Bigint))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) deliveries.Add(ReadDelivery(reader));
        }
        var attempts = new List<WebhookAttempt>();
        await using (var command = ReadCommand(SelectAttempts).P("seq", seq, NpgsqlDbType.Bigint))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                attempts.Add(new WebhookAttempt(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    (WebhookDeliveryStatus)reader.GetInt32(6), Time(reader, 7)));
            }
        }
        return new DeliveryLog(deliveries, attempts);
    }

    /// <inheritdoc/>
    public Task<RedeliverOutcome> RedeliverAsync(RedeliverParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        await using var command = scope.Command(Redeliver).P("id", p.DeliveryId, NpgsqlDbType.Text)
            .P("op", p.OperationId, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text);
        var found = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return found == 0 ? RedeliverOutcome.NotFound : RedeliverOutcome.Scheduled;
    }, cancellationToken);

    private static WebhookDelivery ReadDelivery(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        OperationId = r.GetString(1),
        Tenant = r.GetString(2),
        Url = r.GetString(3),
        EventType = r.GetString(4),
        Status = (WebhookDeliveryStatus)r.GetInt32(5),
        Attempts = r.GetInt32(6),
        NextAttemptAt = r.GetFieldValue<DateTimeOffset>(7),
        WindowStart = r.GetFieldValue<DateTimeOffset>(8),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(9),
        LeaseEpoch = r.GetInt64(10),
        LeaseOwner = r.IsDBNull(11) ? null : r.GetString(11),
        LeaseExpiresAt = Time(r, 12),
    };
}
