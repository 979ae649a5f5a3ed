using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string InsertOperation = $"""
        INSERT INTO operations (id, tenant, kind, status, input, metadata, callback_url, priority, max_attempts, timeout_ms,
                                deadline_at, run_after, created_at, updated_at, trace_parent, max_events, concurrency_key, concurrency_limit, start_by, vt)
        VALUES (@id, @tenant, @kind, 0, @input, @metadata, @callback, @priority, @max, @timeout,
                {Now} + @timeout * interval '1 millisecond', GREATEST({Now}, COALESCE(@start_after, {Now})), {Now}, {Now}, @trace, @max_events,
                @ckey, @climit, @start_by, {VirtualStart})
        RETURNING {Columns}
        """;

    /// <summary>
    /// The new operation's virtual start (ADR 0025, start-time fair queuing): one turn (1 / weight) after the tenant's
    /// last waiting operation, but never before the system's virtual time: the latest virtual start among running
    /// operations (else the earliest waiting one). So a tenant that was idle rejoins at the front, right after the work
    /// already started, instead of behind everyone's backlog, and cannot bank turns while idle.
    /// </summary>
    private const string VirtualStart = """
        GREATEST(COALESCE((SELECT max(vt) FROM operations WHERE status = 0 AND tenant = @tenant), -1e300)
                + 1.0 / COALESCE((SELECT weight FROM tenant_limits WHERE tenant = @tenant), @weight),
            COALESCE((SELECT max(vt) FROM operations WHERE status = 1), (SELECT min(vt) FROM operations WHERE status = 0), 0))
        """;

    /// <summary>Serializes creations that share an idempotency key (the row may not exist yet, so a row lock cannot).</summary>
    private const string LockIdempotencyKey = "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || chr(31) || @tenant || chr(31) || @key, 0))";

    private const string FindIdempotencyKey = $"""
        SELECT request_hash, operation_id, COALESCE(in_flight_until > {Now}, false)
        FROM idempotency_keys WHERE tenant = @tenant AND key = @key AND expires_at > {Now}
        """;

    private const string DeleteIdempotencyKey = "DELETE FROM idempotency_keys WHERE tenant = @tenant AND key = @key";

    private const string InsertIdempotencyKey = $"""
        INSERT INTO idempotency_keys (tenant, key, request_hash, operation_id, in_flight_until, expires_at)
        VALUES (@tenant, @key, @hash, @op, {Now} + @hold, {Now} + @retention)
        """;

    private const string ReleaseIdempotencyKey = "UPDATE idempotency_keys SET in_flight_until = NULL WHERE tenant = @tenant AND key = @key";

    /// <inheritdoc/>
    public Task<StartResult> StartAsync(StartParams p, CancellationToken cancellationToken)
    {
        var input = p.Operation.Input.GetRawText();
        var metadata = ToJson(p.Operation.Metadata);
        return WriteAsync(scope => CreateInScopeAsync(scope, p, input, metadata, cancellationToken), cancellationToken);
    }

    private static async Task<StartResult> CreateInScopeAsync(PostgresWriteScope scope, StartParams p, string input, string? metadata, CancellationToken cancellationToken)
    {
        var op = p.Operation;
        if (p.Idempotency is { } key)
        {
            await using (var command = scope.Command(LockIdempotencyKey).P("tenant", op.Tenant, NpgsqlDbType.Text).P("key", key.Key, NpgsqlDbType.Text))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            string? existingHash = null, existingId = null;
            var inFlight = false;
            await using (var command = scope.Command(FindIdempotencyKey).P("tenant", op.Tenant, NpgsqlDbType.Text).P("key", key.Key, NpgsqlDbType.Text))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    existingHash = reader.GetString(0);
                    existingId = reader.GetString(1);
                    inFlight = reader.GetBoolean(2);
                }
            }
            if (existingHash is not null)
            {
                if (!string.Equals(existingHash, key.RequestHash, StringComparison.Ordinal)) return new StartResult(StartOutcome.KeyReused, null);
                if (inFlight) return new StartResult(StartOutcome.KeyInFlight, null);
                var replayed = await SelectInScopeAsync(scope, op.Tenant, existingId!, cancellationToken).ConfigureAwait(false);
                if (replayed is not null) return new StartResult(StartOutcome.Replayed, replayed);
            }
            await ExecuteAsync(scope.Command(DeleteIdempotencyKey).P("tenant", op.Tenant, NpgsqlDbType.Text).P("key", key.Key, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        }

        if (p.MaxPending is { } maxPending && await CountPendingAsync(scope, op.Tenant, maxPending, cancellationToken).ConfigureAwait(false) >= maxPending)
            return new StartResult(StartOutcome.PendingLimitReached, null);
        Operation created;
        await using (var command = scope.Command(InsertOperation)
            .P("id", op.Id, NpgsqlDbType.Text).P("tenant", op.Tenant, NpgsqlDbType.Text).P("kind", op.Kind, NpgsqlDbType.Text)
            .P("input", input, NpgsqlDbType.Json).P("metadata", metadata, NpgsqlDbType.Json).P("callback", op.CallbackUrl, NpgsqlDbType.Text)
            .P("priority", op.Priority, NpgsqlDbType.Integer).P("max", op.MaxAttempts, NpgsqlDbType.Integer)
            .P("timeout", op.TimeoutSeconds is { } ts ? (long)(ts * 1000) : null, NpgsqlDbType.Bigint)
            .P("trace", op.TraceParent, NpgsqlDbType.Text).P("max_events", p.MaxEvents, NpgsqlDbType.Integer)
            .P("start_after", op.StartAfter?.ToUniversalTime(), NpgsqlDbType.TimestampTz).P("start_by", op.StartBy?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
            .P("ckey", op.ConcurrencyKey, NpgsqlDbType.Text).P("climit", op.ConcurrencyKey is null ? null : op.ConcurrencyLimit ?? 1, NpgsqlDbType.Integer)
            .P("weight", Math.Max(1, op.DefaultWeight), NpgsqlDbType.Integer))
        {
            created = (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false))[0];
        }
        if (p.Idempotency is { } k)
        {
            await ExecuteAsync(scope.Command(InsertIdempotencyKey)
                .P("tenant", op.Tenant, NpgsqlDbType.Text).P("key", k.Key, NpgsqlDbType.Text).P("hash", k.RequestHash, NpgsqlDbType.Text)
                .P("op", op.Id, NpgsqlDbType.Text).P("hold", k.HoldFor, NpgsqlDbType.Interval).P("retention", k.Retention, NpgsqlDbType.Interval),
                cancellationToken).ConfigureAwait(false);
        }
        scope.Notify(StoreNotificationKind.WorkAvailable);
        return new StartResult(StartOutcome.Started, created);
    }

    /// <inheritdoc/>
    public Task ReleaseIdempotencyKeyAsync(ReleaseIdempotencyParams p, CancellationToken cancellationToken)
        => WriteAsync(scope => ExecuteAsync(scope.Command(ReleaseIdempotencyKey).P("tenant", p.Tenant, NpgsqlDbType.Text).P("key", p.Key, NpgsqlDbType.Text), cancellationToken), cancellationToken);
}
