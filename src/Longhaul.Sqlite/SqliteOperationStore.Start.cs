using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string InsertOperation = $"""
        INSERT INTO operations (id, tenant, kind, status, input, metadata, callback_url, priority, max_attempts, timeout_ms,
                                deadline_at, run_after, created_at, updated_at, trace_parent, max_events, concurrency_key, concurrency_limit, start_by, vt)
        VALUES ($id, $tenant, $kind, 0, $input, $metadata, $callback, $priority, $max, $timeout, $deadline, $runAfter, $now, $now, $trace, $max_events,
                $ckey, $climit, $startBy, {VirtualStart})
        """;

    /// <summary>
    /// The new operation's virtual start (ADR 0025, start-time fair queuing): one turn (1 / weight) after the tenant's
    /// last waiting operation, but never before the system's virtual time: the latest virtual start among running
    /// operations (else the earliest waiting one). So a tenant that was idle rejoins at the front, right after the work
    /// already started, instead of behind everyone's backlog, and cannot bank turns while idle. A tenant's virtual starts
    /// grow with its operations' seq (each new one is past every waiting one; a retried one keeps its older, smaller
    /// value), so the last waiting one is the newest waiting one: read through the tenant's unfinished operations newest
    /// first (<c>ix_operations_tenant_active</c>, past at most its running ones), no index of its own.
    /// </summary>
    private const string VirtualStart = """
        MAX(COALESCE((SELECT vt FROM operations INDEXED BY ix_operations_tenant_active WHERE tenant = $tenant AND finished_at IS NULL AND status = 0 ORDER BY seq DESC LIMIT 1), -1e300)
                + 1.0 / COALESCE((SELECT weight FROM tenant_limits WHERE tenant = $tenant), $weight),
            COALESCE((SELECT MAX(vt) FROM operations WHERE status = 1), (SELECT MIN(vt) FROM operations WHERE status = 0), 0))
        """;

    // The tenant's pending count (ADR 0031): the start counts its own operation; triggers count every later change.
    private const string CountNewPending = "INSERT INTO tenant_pending (tenant, pending) VALUES ($tenant, 1) ON CONFLICT (tenant) DO UPDATE SET pending = pending + 1";

    private const string FindIdempotencyKey = "SELECT request_hash, operation_id, in_flight_until, expires_at FROM idempotency_keys WHERE tenant = $tenant AND key = $key";
    private const string DeleteIdempotencyKey = "DELETE FROM idempotency_keys WHERE tenant = $tenant AND key = $key";
    private const string InsertIdempotencyKey = "INSERT INTO idempotency_keys (tenant, key, request_hash, operation_id, in_flight_until, expires_at) VALUES ($tenant, $key, $hash, $op, $hold, $expires)";
    private const string ReleaseIdempotencyKey = "UPDATE idempotency_keys SET in_flight_until = NULL WHERE tenant = $tenant AND key = $key";

    /// <inheritdoc/>
    public Task<StartResult> StartAsync(StartParams p, CancellationToken cancellationToken)
    {
        var input = p.Operation.Input.GetRawText();
        var metadata = ToJson(p.Operation.Metadata);
        return _writer.ExecuteAsync(scope => Create(scope, p, input, metadata), cancellationToken);
    }

    private StartResult Create(WriteScope scope, StartParams p, string input, string? metadata)
    {
        var now = Now();
        var op = p.Operation;
        if (p.Idempotency is { } key)
        {
            string? existingHash = null, existingId = null;
            long? inFlightUntil = null;
            using (var reader = scope.Command(FindIdempotencyKey).P("$tenant", op.Tenant).P("$key", key.Key).ExecuteReader())
            {
                if (reader.Read() && reader.GetInt64(3) > now)
                {
                    existingHash = reader.GetString(0);
                    existingId = reader.GetString(1);
                    inFlightUntil = reader.IsDBNull(2) ? null : reader.GetInt64(2);
                }
            }
            if (existingHash is not null)
            {
                if (!string.Equals(existingHash, key.RequestHash, StringComparison.Ordinal)) return new StartResult(StartOutcome.KeyReused, null);
                if (inFlightUntil > now) return new StartResult(StartOutcome.KeyInFlight, null);
                var replayed = SelectInWriter(scope, op.Tenant, existingId!);
                if (replayed is not null) return new StartResult(StartOutcome.Replayed, replayed);
            }
            scope.Command(DeleteIdempotencyKey).P("$tenant", op.Tenant).P("$key", key.Key).ExecuteNonQuery();
        }

        if (p.MaxPending is { } maxPending && CountPending(scope, op.Tenant) >= maxPending) return new StartResult(StartOutcome.PendingLimitReached, null);
        long? deadline = op.TimeoutSeconds is { } t ? now + (long)(t * 1000) : null;
        var runAfter = op.StartAfter is { } after ? Math.Max(now, after.ToUnixTimeMilliseconds()) : now;
        scope.Command(InsertOperation)
            .P("$id", op.Id).P("$tenant", op.Tenant).P("$kind", op.Kind).P("$input", input)
            .P("$metadata", metadata).P("$callback", op.CallbackUrl).P("$priority", op.Priority)
            .P("$max", op.MaxAttempts).P("$timeout", op.TimeoutSeconds is { } ts ? (long)(ts * 1000) : null)
            .P("$deadline", deadline).P("$now", now).P("$trace", op.TraceParent).P("$max_events", p.MaxEvents)
            .P("$runAfter", runAfter).P("$ckey", op.ConcurrencyKey).P("$climit", op.ConcurrencyKey is null ? null : op.ConcurrencyLimit ?? 1)
            .P("$startBy", op.StartBy?.ToUnixTimeMilliseconds()).P("$weight", Math.Max(1, op.DefaultWeight))
            .ExecuteNonQuery();
        scope.Command(CountNewPending).P("$tenant", op.Tenant).ExecuteNonQuery();
        if (p.Idempotency is { } k)
        {
            scope.Command(InsertIdempotencyKey)
                .P("$tenant", op.Tenant).P("$key", k.Key).P("$hash", k.RequestHash).P("$op", op.Id)
                .P("$hold", k.HoldFor is { } h ? now + (long)h.TotalMilliseconds : null)
                .P("$expires", now + (long)k.Retention.TotalMilliseconds)
                .ExecuteNonQuery();
        }
        scope.Notify(StoreNotificationKind.WorkAvailable);
        var created = new Operation
        {
            Id = op.Id,
            Tenant = op.Tenant,
            Kind = op.Kind,
            Status = OperationStatus.Pending,
            Input = op.Input,
            Metadata = op.Metadata,
            CallbackUrl = op.CallbackUrl,
            Priority = op.Priority,
            MaxAttempts = op.MaxAttempts,
            TimeoutSeconds = op.TimeoutSeconds,
            DeadlineAt = deadline is { } d ? Time(d) : null,
            CreatedAt = Time(now),
            UpdatedAt = Time(now),
            RunAfter = Time(runAfter),
            TraceParent = op.TraceParent,
            ConcurrencyKey = op.ConcurrencyKey,
            ConcurrencyLimit = op.ConcurrencyKey is null ? null : op.ConcurrencyLimit ?? 1,
            StartBy = op.StartBy,
        };
        return new StartResult(StartOutcome.Started, created);
    }

    /// <inheritdoc/>
    public Task ReleaseIdempotencyKeyAsync(ReleaseIdempotencyParams p, CancellationToken cancellationToken)
        => _writer.ExecuteAsync(scope => scope.Command(ReleaseIdempotencyKey).P("$tenant", p.Tenant).P("$key", p.Key).ExecuteNonQuery(), cancellationToken);
}
