using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string InsertEvent = "INSERT INTO operation_events (operation_seq, seq, type, data, created_at) VALUES ($op, $seq, $type, $data, $now)";

    private const string InsertFinalEvents = $"""
        INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
        VALUES ($op, $seq, '{EventTypes.Status}', $data, $now), ($op, $done, '{EventTypes.Done}', NULL, $now)
        """;

    private const string InsertOperation = """
        INSERT INTO operations (id, tenant, kind, status, input, metadata, callback_url, priority, max_attempts, timeout_ms,
                                deadline_at, run_after, created_at, updated_at)
        VALUES ($id, $tenant, $kind, 0, $input, $metadata, $callback, $priority, $max, $timeout, $deadline, $now, $now, $now)
        """;

    private const string FindIdempotencyKey = "SELECT request_hash, operation_id, in_flight_until, expires_at FROM idempotency_keys WHERE tenant = $tenant AND key = $key";
    private const string DeleteIdempotencyKey = "DELETE FROM idempotency_keys WHERE tenant = $tenant AND key = $key";
    private const string InsertIdempotencyKey = "INSERT INTO idempotency_keys (tenant, key, request_hash, operation_id, in_flight_until, expires_at) VALUES ($tenant, $key, $hash, $op, $hold, $expires)";
    private const string ReleaseIdempotencyKey = "UPDATE idempotency_keys SET in_flight_until = NULL WHERE tenant = $tenant AND key = $key";

    private const string Claim = $"""
        UPDATE operations
        SET status = 1, attempt = attempt + 1, lease_epoch = lease_epoch + 1, lease_owner = $owner,
            lease_expires_at = $now + $lease, started_at = COALESCE(started_at, $now), updated_at = $now,
            last_event_seq = last_event_seq + 1
        WHERE seq IN (SELECT seq FROM operations
                      WHERE status = 0 AND run_after <= $now AND kind IN (SELECT value FROM json_each($kinds))
                      ORDER BY priority DESC, seq LIMIT $max)
        RETURNING {Columns}
        """;

    private const string Heartbeat = "UPDATE operations SET lease_expires_at = $expires WHERE id = $id AND lease_epoch = $epoch AND status = 1 RETURNING cancel_requested";

    private const string Record = """
        UPDATE operations
        SET progress = COALESCE($progress, progress),
            estimated_completion = CASE WHEN $progress IS NULL THEN estimated_completion ELSE $eta END,
            checkpoint = COALESCE($checkpoint, checkpoint), updated_at = $now, last_event_seq = last_event_seq + $events
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        RETURNING seq, last_event_seq, attempt
        """;

    private const string Output = """
        UPDATE operations SET updated_at = $now, last_event_seq = last_event_seq + 1
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        RETURNING seq, last_event_seq, attempt
        """;

    private const string Complete = """
        UPDATE operations
        SET status = $status, result = $result, error = $error, finished_at = $now, updated_at = $now,
            lease_owner = NULL, lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        RETURNING seq, last_event_seq, attempt
        """;

    private const string Retry = """
        UPDATE operations
        SET status = 0, run_after = $runAfter, error = $error, updated_at = $now, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        RETURNING seq, last_event_seq, attempt
        """;

    private const string HandBack = """
        UPDATE operations
        SET status = 0, attempt = attempt - 1, run_after = $now, updated_at = $now, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        RETURNING seq, last_event_seq, attempt
        """;

    private const string CancelPending = """
        UPDATE operations
        SET status = 4, cancel_requested = 1, error = $error, finished_at = $now, updated_at = $now, estimated_completion = NULL,
            last_event_seq = last_event_seq + 2
        WHERE id = $id AND status = 0
        RETURNING seq, last_event_seq, attempt
        """;

    private const string CancelRunning = """
        UPDATE operations SET cancel_requested = 1, updated_at = $now, last_event_seq = last_event_seq + 1
        WHERE id = $id AND status = 1 AND cancel_requested = 0
        RETURNING seq, last_event_seq, attempt
        """;

    // Orphans: running with an expired lease (or, on a single-owner store's start, every running operation). Written
    // without OR so the partial index on running leases serves both forms.
    private const string OrphanFilter = "status = 1 AND lease_expires_at < $cutoff";

    private const string ReapCancelled = $"""
        UPDATE operations SET status = 4, error = $error, finished_at = $now, updated_at = $now, lease_owner = NULL,
            lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE {OrphanFilter} AND cancel_requested = 1
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string ReapExhausted = $"""
        UPDATE operations SET status = 3, error = $error, finished_at = $now, updated_at = $now, lease_owner = NULL,
            lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE {OrphanFilter} AND attempt >= max_attempts
        RETURNING seq, last_event_seq, attempt, id
        """;

    // An orphan already past its deadline is not requeued only to fail in the same sweep: ReapDeadlines fails it.
    private const string ReapRequeue = $"""
        UPDATE operations SET status = 0, run_after = $now, updated_at = $now, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE {OrphanFilter} AND (deadline_at IS NULL OR deadline_at > $now)
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string ReapDeadlines = $"""
        UPDATE operations SET status = 3, error = $error, finished_at = $now, updated_at = $now, estimated_completion = NULL,
            lease_owner = NULL, lease_expires_at = NULL, last_event_seq = last_event_seq + 2
        WHERE (status = 0 OR ({OrphanFilter})) AND deadline_at IS NOT NULL AND deadline_at <= $now
        RETURNING seq, last_event_seq, attempt, id
        """;

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

        long? deadline = op.TimeoutSeconds is { } t ? now + (long)(t * 1000) : null;
        scope.Command(InsertOperation)
            .P("$id", op.Id).P("$tenant", op.Tenant).P("$kind", op.Kind).P("$input", input)
            .P("$metadata", metadata).P("$callback", op.CallbackUrl).P("$priority", op.Priority)
            .P("$max", op.MaxAttempts).P("$timeout", op.TimeoutSeconds is { } ts ? (long)(ts * 1000) : null)
            .P("$deadline", deadline).P("$now", now)
            .ExecuteNonQuery();
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
            RunAfter = Time(now),
        };
        return new StartResult(StartOutcome.Started, created);
    }

    public Task ReleaseIdempotencyKeyAsync(ReleaseIdempotencyParams p, CancellationToken cancellationToken)
        => _writer.ExecuteAsync(scope => scope.Command(ReleaseIdempotencyKey).P("$tenant", p.Tenant).P("$key", p.Key).ExecuteNonQuery(), cancellationToken);

    public Task<CancelResult> CancelAsync(CancelParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var op = SelectInWriter(scope, p.Tenant, p.Id);
        if (op is null) return new CancelResult(CancelOutcome.NotFound, null);
        if (op.Done) return new CancelResult(CancelOutcome.AlreadyTerminal, op);
        var now = Now();
        if (op.Status == OperationStatus.Pending)
        {
            var row = Fenced(scope, scope.Command(CancelPending).P("$id", p.Id).P("$error", ToJson(OperationErrors.Cancelled)).P("$now", now));
            if (row is { } r)
            {
                AppendFinal(scope, r, OperationStatus.Cancelled, OperationErrors.Cancelled, now);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
                return new CancelResult(CancelOutcome.Cancelled, SelectInWriter(scope, p.Tenant, p.Id));
            }
        }
        else if (!op.CancelRequested)
        {
            var row = Fenced(scope, scope.Command(CancelRunning).P("$id", p.Id).P("$now", now));
            if (row is { } r)
            {
                AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Running, r.Attempt, cancelRequested: true), now);
                scope.Notify(StoreNotificationKind.CancelRequested, p.Id);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
            }
        }
        return new CancelResult(CancelOutcome.Requested, SelectInWriter(scope, p.Tenant, p.Id));
    }, cancellationToken);

    public Task<DeleteOutcome> DeleteAsync(DeleteParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        long seq;
        int status;
        using (var reader = scope.Command("SELECT seq, status FROM operations WHERE id = $id AND tenant = $tenant").P("$id", p.Id).P("$tenant", p.Tenant).ExecuteReader())
        {
            if (!reader.Read()) return DeleteOutcome.NotFound;
            seq = reader.GetInt64(0);
            status = reader.GetInt32(1);
        }
        if (!((OperationStatus)status).IsTerminal()) return DeleteOutcome.NotTerminal;
        DeleteOperation(scope, seq, p.Id);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
        return DeleteOutcome.Deleted;
    }, cancellationToken);

    public async Task<IReadOnlyList<Operation>> ClaimAsync(ClaimParams p, CancellationToken cancellationToken)
    {
        var kinds = JsonSerializer.Serialize(p.Kinds, LonghaulJsonDefaults.Options);
        var rows = await _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            var claimed = new List<object?[]>();
            using (var reader = scope.Command(Claim)
                .P("$owner", p.Owner).P("$now", now).P("$lease", (long)p.LeaseDuration.TotalMilliseconds)
                .P("$kinds", kinds).P("$max", p.Max)
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

    public Task<HeartbeatResult> HeartbeatAsync(HeartbeatParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var expires = Now() + (long)p.LeaseDuration.TotalMilliseconds;
        var lost = new List<string>();
        var cancel = new List<string>();
        foreach (var lease in p.Leases)
        {
            var flag = scope.Command(Heartbeat).P("$expires", expires).P("$id", lease.Id).P("$epoch", lease.Epoch).ExecuteScalar();
            if (flag is null) lost.Add(lease.Id);
            else if (Convert.ToInt64(flag, System.Globalization.CultureInfo.InvariantCulture) != 0) cancel.Add(lease.Id);
        }
        return new HeartbeatResult(lost, cancel);
    }, cancellationToken);

    public Task<bool> RecordAsync(RecordParams p, CancellationToken cancellationToken)
    {
        // Serialize on the caller's thread: the one writer thread only runs SQL.
        var progress = ToJson(p.Progress);
        var eventData = p.Progress is null ? null : EventData.Progress(p.Progress, p.EstimatedCompletion);
        var checkpoint = ToJson(p.Checkpoint);
        return _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            var row = Fenced(scope, scope.Command(Record)
                .P("$progress", progress).P("$eta", p.EstimatedCompletion?.ToUnixTimeMilliseconds())
                .P("$checkpoint", checkpoint).P("$now", now).P("$events", eventData is null ? 0 : 1)
                .P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch));
            if (row is not { } r) return false;
            if (eventData is not null)
            {
                AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Progress, eventData, now);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
            }
            return true;
        }, cancellationToken);
    }

    public Task<bool> AppendOutputAsync(OutputParams p, CancellationToken cancellationToken)
    {
        var chunk = p.Chunk.GetRawText();
        return _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            if (Fenced(scope, scope.Command(Output).P("$now", now).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch)) is not { } r) return false;
            AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Output, chunk, now);
            scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
            return true;
        }, cancellationToken);
    }

    public Task<bool> CompleteAsync(CompleteParams p, CancellationToken cancellationToken)
    {
        if (!p.Status.IsTerminal()) throw new ArgumentException("Complete needs a final status.", nameof(p));
        var result = ToJson(p.Result);
        var error = p.Error is null ? null : ToJson(p.Error);
        return _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            var row = Fenced(scope, scope.Command(Complete)
                .P("$status", (int)p.Status).P("$result", result).P("$error", error)
                .P("$now", now).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch));
            if (row is not { } r) return false;
            AppendFinal(scope, r, p.Status, p.Error, now);
            scope.Command(DeleteUnfinishedFileChunks).P("$seq", r.OpSeq).ExecuteNonQuery();
            scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
            return true;
        }, cancellationToken);
    }

    public Task<bool> RetryAsync(RetryParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        var runAfter = now + (long)p.Delay.TotalMilliseconds;
        var row = Fenced(scope, scope.Command(Retry)
            .P("$runAfter", runAfter).P("$error", ToJson(p.Error)).P("$now", now).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch));
        if (row is not { } r) return false;
        AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, p.Error, "retry", Time(runAfter)), now);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
        return true;
    }, cancellationToken);

    public Task<bool> HandBackAsync(HandBackParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        if (Fenced(scope, scope.Command(HandBack).P("$now", now).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch)) is not { } r) return false;
        AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, reason: "handed_back"), now);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
        scope.Notify(StoreNotificationKind.WorkAvailable);
        return true;
    }, cancellationToken);

    public Task<ReapResult> ReapAsync(ReapParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        var cutoff = p.AllLeasesOf ? long.MaxValue : now;
        var failed = 0;
        foreach (var r in Rows(scope.Command(ReapCancelled).P("$cutoff", cutoff).P("$now", now).P("$error", ToJson(OperationErrors.Cancelled))))
        {
            AppendFinal(scope, r, OperationStatus.Cancelled, OperationErrors.Cancelled, now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
        }
        foreach (var r in Rows(scope.Command(ReapExhausted).P("$cutoff", cutoff).P("$now", now).P("$error", ToJson(OperationErrors.WorkerLost))))
        {
            AppendFinal(scope, r, OperationStatus.Failed, OperationErrors.WorkerLost, now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        var requeued = Rows(scope.Command(ReapRequeue).P("$cutoff", cutoff).P("$now", now));
        foreach (var r in requeued)
        {
            AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, reason: "lease_expired"), now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
        }
        if (requeued.Count > 0) scope.Notify(StoreNotificationKind.WorkAvailable);
        foreach (var r in Rows(scope.Command(ReapDeadlines).P("$cutoff", cutoff).P("$now", now).P("$error", ToJson(OperationErrors.DeadlineExceeded))))
        {
            AppendFinal(scope, r, OperationStatus.Failed, OperationErrors.DeadlineExceeded, now);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        return new ReapResult(requeued.Count, failed);
    }, cancellationToken);

    public Task<int> PruneAsync(PruneParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        var cutoff = now - (long)p.Retention.TotalMilliseconds;
        var victims = new List<(long Seq, string Id)>();
        using (var reader = scope.Command("SELECT seq, id FROM operations WHERE status >= 2 AND finished_at < $cutoff LIMIT $n").P("$cutoff", cutoff).P("$n", p.BatchSize).ExecuteReader())
        {
            while (reader.Read()) victims.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        foreach (var (seq, id) in victims) DeleteOperation(scope, seq, id);
        scope.Command("DELETE FROM idempotency_keys WHERE expires_at <= $now").P("$now", now).ExecuteNonQuery();
        return victims.Count;
    }, cancellationToken);

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
        scope.Command("INSERT INTO api_keys (id, tenant, key_hash, created_at) VALUES ($id, $tenant, $hash, $now)")
            .P("$id", key.Id).P("$tenant", key.Tenant).P("$hash", key.KeyHash).P("$now", key.CreatedAt.ToUnixTimeMilliseconds())
            .ExecuteNonQuery(), cancellationToken);

    public Task<bool> RevokeApiKeyAsync(string id, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
        scope.Command("UPDATE api_keys SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL").P("$id", id).P("$now", Now()).ExecuteNonQuery() > 0,
        cancellationToken);

    private static void DeleteOperation(WriteScope scope, long seq, string id)
    {
        scope.Command("DELETE FROM operation_events WHERE operation_seq = $seq").P("$seq", seq).ExecuteNonQuery();
        scope.Command("DELETE FROM operation_file_chunks WHERE operation_seq = $seq").P("$seq", seq).ExecuteNonQuery();
        scope.Command("DELETE FROM operation_files WHERE operation_seq = $seq").P("$seq", seq).ExecuteNonQuery();
        scope.Command("DELETE FROM idempotency_keys WHERE operation_id = $id").P("$id", id).ExecuteNonQuery();
        scope.Command("DELETE FROM operations WHERE seq = $seq").P("$seq", seq).ExecuteNonQuery();
    }

    /// <summary>Runs an UPDATE … RETURNING seq, last_event_seq, attempt; null when no row matched (fenced off).</summary>
    private static ChangedRow? Fenced(WriteScope scope, Microsoft.Data.Sqlite.SqliteCommand command)
    {
        _ = scope;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ChangedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), null) : null;
    }

    private static List<ChangedRow> Rows(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        var rows = new List<ChangedRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add(new ChangedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3)));
        return rows;
    }

    /// <summary>The final <c>status</c> event and the <c>done</c> event after it (seq - 1 and seq).</summary>
    private static void AppendFinal(WriteScope scope, ChangedRow r, OperationStatus status, OperationError? error, long now)
    {
        scope.Command(InsertFinalEvents)
            .P("$op", r.OpSeq).P("$seq", r.LastSeq - 1).P("$data", EventData.Status(status, r.Attempt, error)).P("$done", r.LastSeq).P("$now", now)
            .ExecuteNonQuery();
    }

    private static void AppendEvent(WriteScope scope, long opSeq, long seq, string type, string? data, long now)
        => scope.Command(InsertEvent).P("$op", opSeq).P("$seq", seq).P("$type", type).P("$data", data).P("$now", now).ExecuteNonQuery();

    private readonly record struct ChangedRow(long OpSeq, long LastSeq, int Attempt, string? Id);
}
