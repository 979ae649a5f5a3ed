using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // Statements that address one operation by id test its status with these instead of `status = 1` / `status = 0`
    // (the same for the integer status). Those would imply the predicates of the partial indexes on running leases and
    // on ready work, and PostgreSQL's planner then prefers that small-looking index over the unique index on id: each
    // fenced write scanned the index entries of every running operation (dead ones included), up to ~100 per
    // completion in a 64-slot drain (docs/benchmarks.md, PostgreSQL). With these, id's unique index serves them.
    private const string IsRunning = "status > 0 AND status < 2";
    private const string IsPending = "status >= 0 AND status < 1";

    private const string InsertEvent = $"INSERT INTO operation_events (operation_seq, seq, type, data, created_at) VALUES (@op, @seq, @type, @data, {Now})";

    /// <summary>One event per array element, all of one type (claims and reaps change many operations at once).</summary>
    private const string InsertEvents = $"""
        INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
        SELECT e.op, e.seq, @type, e.data::json, {Now} FROM unnest(@ops, @seqs, @datas) AS e(op, seq, data)
        """;

    private const string InsertFinalEvents = $"""
        INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
        VALUES (@op, @seq, '{EventTypes.Status}', @data, {Now}), (@op, @done, '{EventTypes.Done}', NULL, {Now})
        """;

    private const string InsertOperation = $"""
        INSERT INTO operations (id, tenant, kind, status, input, metadata, callback_url, priority, max_attempts, timeout_ms,
                                deadline_at, run_after, created_at, updated_at)
        VALUES (@id, @tenant, @kind, 0, @input, @metadata, @callback, @priority, @max, @timeout,
                {Now} + @timeout * interval '1 millisecond', {Now}, {Now}, {Now})
        RETURNING {Columns}
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

    private const string LockOperation = $"SELECT {Columns} FROM operations WHERE id = @id AND (@tenant IS NULL OR tenant = @tenant) FOR UPDATE";

    // `SET LOCAL enable_sort = off` first, in the same round trip: the ready rows must come from a walk of the ready
    // index in its own order (priority DESC, seq), which reads about as many entries as it claims. With statistics from
    // before a burst (a new or mostly finished table), PostgreSQL otherwise estimates one ready row and picks a bitmap
    // scan of every ready row plus a sort, on every claim: with a 20,000-operation backlog each claim read and sorted
    // 20,000 rows (docs/benchmarks.md). No sort is left in the plan (the claimed rows are put in order by the caller),
    // and `jit = off` because a sort forced back in would carry the disabled-sort penalty cost, far above
    // jit_above_cost: every claim would be JIT-compiled (~370 ms).
    // `plan_cache_mode = force_generic_plan`: the claim is planned once per connection. PostgreSQL's own choice was a
    // new plan for every claim (about 0.2 ms, and a file-size system call per table and index), because the generic
    // plan's guess for `LIMIT @max` (a tenth of the table) made it look dearer than each custom plan. The rows to change
    // are taken by `seq = ANY(ARRAY(…))`, which the generic plan does as one primary-key lookup per claimed row whatever
    // it guesses (a join there became a hash join over a scan of the whole table).
    internal const string ClaimSettings = "SET LOCAL enable_sort = off; SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_generic_plan;";

    /// <summary>The claim statement alone (after <see cref="ClaimSettings"/> in one command); internal for the plan test.</summary>
    internal const string ClaimStatement = $"""
        WITH ready AS (
            SELECT seq FROM operations
            WHERE status = 0 AND run_after <= {Now} AND kind = ANY(@kinds)
            ORDER BY priority DESC, seq
            LIMIT @max
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE operations o
            SET status = 1, attempt = o.attempt + 1, lease_epoch = o.lease_epoch + 1, lease_owner = @owner,
                lease_expires_at = {Now} + @lease, started_at = COALESCE(o.started_at, {Now}), updated_at = {Now},
                last_event_seq = o.last_event_seq + 1
            WHERE o.seq = ANY(ARRAY(SELECT seq FROM ready))
            RETURNING o.*
        ), events AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq, '{EventTypes.Status}', (@pre || attempt || @suf)::json, {Now} FROM claimed
        )
        SELECT {Columns} FROM claimed
        """;

    private const string Claim = ClaimSettings + "\n" + ClaimStatement;

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

    // The fenced worker writes are one statement each: the UPDATE (0 rows when the lease is lost) and, through its
    // RETURNING rows, the events it appends, so a write is one round trip and can share a batch (PostgresWriteBatcher).
    private const string Record = $"""
        WITH u AS (
            UPDATE operations
            SET progress = COALESCE(@progress, progress),
                estimated_completion = CASE WHEN @progress IS NULL THEN estimated_completion ELSE @eta END,
                checkpoint = COALESCE(@checkpoint, checkpoint), updated_at = {Now}, last_event_seq = last_event_seq + @events
            WHERE id = @id AND lease_epoch = @epoch AND {IsRunning}
            RETURNING seq, last_event_seq
        ), e AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq, '{EventTypes.Progress}', @data, {Now} FROM u WHERE @events > 0
        )
        SELECT seq FROM u
        """;

    private const string Output = $"""
        WITH u AS (
            UPDATE operations SET updated_at = {Now}, last_event_seq = last_event_seq + 1
            WHERE id = @id AND lease_epoch = @epoch AND {IsRunning}
            RETURNING seq, last_event_seq
        ), e AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq, '{EventTypes.Output}', @data, {Now} FROM u
        )
        SELECT seq FROM u
        """;

    // The final status event (its data built around the row's attempt: @pre || attempt || @suf), the done event, and
    // the chunks of files never finished.
    private const string CompleteWrites = $"""
        WITH u AS (
            UPDATE operations
            SET status = @status, result = @result, error = @error, finished_at = {Now}, updated_at = {Now},
                lease_owner = NULL, lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
            WHERE id = @id AND lease_epoch = @epoch AND {IsRunning}
            RETURNING seq, last_event_seq, attempt
        ), e AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq - 1, '{EventTypes.Status}', (@pre || attempt || @suf)::json, {Now} FROM u
            UNION ALL
            SELECT seq, last_event_seq, '{EventTypes.Done}', NULL, {Now} FROM u
        )
        """;

    /// <summary>The completion that also deletes the chunks of files never finished.</summary>
    private const string Complete = CompleteWrites + """
        , d AS (
            DELETE FROM operation_file_chunks c WHERE c.operation_seq = (SELECT seq FROM u) AND NOT EXISTS (
                SELECT 1 FROM operation_files f WHERE f.operation_seq = c.operation_seq AND f.name = c.name AND f.epoch = c.epoch)
        )
        SELECT seq FROM u
        """;

    /// <summary>
    /// The completion of an attempt that cannot have left file chunks (see <see cref="MayHaveFileChunks"/>). The chunk
    /// clean-up costs the database about as much as the rest of a completion (its scans of the two file tables, and a
    /// file-size system call for every completed operation), for the many operations that never write a file.
    /// </summary>
    private const string CompleteWithoutFiles = CompleteWrites + """
        SELECT seq FROM u
        """;

    // The same three writes for many operations in one statement each (PostgresWriteBatcher sends one per kind and
    // flush when more than one operation has that write queued): every parameter of the single-row form becomes an
    // array with one element per operation, and the statement returns the id of each operation whose lease held.
    // Rows are locked in seq order (as the heartbeat and the claim lock theirs), so concurrent batches cannot deadlock.
    // One statement instead of one per operation: the executor is set up once, and the worker binds a few arrays
    // instead of seven parameters per operation (docs/benchmarks.md).
    private const string FencedRows = $"""
        SELECT o.seq, i.* FROM operations o JOIN i ON o.id = i.id AND o.lease_epoch = i.epoch
        WHERE o.status > 0 AND o.status < 2
        ORDER BY o.seq
        FOR UPDATE OF o
        """;

    private const string RecordMany = $"""
        WITH i AS (
            SELECT * FROM unnest(@progress, @eta, @checkpoint, @events, @data, @id, @epoch)
                AS i(progress, eta, checkpoint, events, data, id, epoch)
        ), mine AS (
            {FencedRows}
        ), u AS (
            UPDATE operations o
            SET progress = COALESCE(m.progress, o.progress),
                estimated_completion = CASE WHEN m.progress IS NULL THEN o.estimated_completion ELSE m.eta END,
                checkpoint = COALESCE(m.checkpoint, o.checkpoint), updated_at = {Now}, last_event_seq = o.last_event_seq + m.events
            FROM mine m WHERE o.seq = m.seq
            RETURNING o.seq, o.id, o.last_event_seq, m.events, m.data
        ), e AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq, '{EventTypes.Progress}', data, {Now} FROM u WHERE events > 0
        )
        SELECT id FROM u
        """;

    private const string OutputMany = $"""
        WITH i AS (
            SELECT * FROM unnest(@data, @id, @epoch) AS i(data, id, epoch)
        ), mine AS (
            {FencedRows}
        ), u AS (
            UPDATE operations o SET updated_at = {Now}, last_event_seq = o.last_event_seq + 1
            FROM mine m WHERE o.seq = m.seq
            RETURNING o.seq, o.id, o.last_event_seq, m.data
        ), e AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq, '{EventTypes.Output}', data, {Now} FROM u
        )
        SELECT id FROM u
        """;

    private const string CompleteManyWrites = $"""
        WITH i AS (
            SELECT * FROM unnest(@status, @result, @error, @pre, @suf, @id, @epoch)
                AS i(status, result, error, pre, suf, id, epoch)
        ), mine AS (
            {FencedRows}
        ), u AS (
            UPDATE operations o
            SET status = m.status, result = m.result, error = m.error, finished_at = {Now}, updated_at = {Now},
                lease_owner = NULL, lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = o.last_event_seq + 2
            FROM mine m WHERE o.seq = m.seq
            RETURNING o.seq, o.id, o.last_event_seq, o.attempt, m.pre, m.suf
        ), e AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq - 1, '{EventTypes.Status}', (pre || attempt || suf)::json, {Now} FROM u
            UNION ALL
            SELECT seq, last_event_seq, '{EventTypes.Done}', NULL, {Now} FROM u
        )
        """;

    private const string CompleteMany = CompleteManyWrites + """
        , d AS (
            DELETE FROM operation_file_chunks c USING u WHERE c.operation_seq = u.seq AND NOT EXISTS (
                SELECT 1 FROM operation_files f WHERE f.operation_seq = c.operation_seq AND f.name = c.name AND f.epoch = c.epoch)
        )
        SELECT id FROM u
        """;

    private const string CompleteManyWithoutFiles = CompleteManyWrites + """
        SELECT id FROM u
        """;

    private const string Retry = $"""
        UPDATE operations
        SET status = 0, run_after = {Now} + @delay, error = @error, updated_at = {Now}, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE id = @id AND lease_epoch = @epoch AND {IsRunning}
        RETURNING seq, last_event_seq, attempt, run_after
        """;

    private const string HandBack = $"""
        UPDATE operations
        SET status = 0, attempt = attempt - 1, run_after = {Now}, updated_at = {Now}, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE id = @id AND lease_epoch = @epoch AND {IsRunning}
        RETURNING seq, last_event_seq, attempt
        """;

    private const string CancelPending = $"""
        UPDATE operations
        SET status = 4, cancel_requested = true, error = @error, finished_at = {Now}, updated_at = {Now}, estimated_completion = NULL,
            last_event_seq = last_event_seq + 2
        WHERE id = @id AND {IsPending}
        RETURNING seq, last_event_seq, attempt
        """;

    private const string CancelRunning = $"""
        UPDATE operations SET cancel_requested = true, updated_at = {Now}, last_event_seq = last_event_seq + 1
        WHERE id = @id AND {IsRunning} AND NOT cancel_requested
        RETURNING seq, last_event_seq, attempt
        """;

    // Orphans: running with an expired lease (or, when asked for all leases, every running operation). Written
    // without OR so the partial index on running leases serves both forms.
    private const string OrphanFilter = $"status = 1 AND lease_expires_at < CASE WHEN @all THEN 'infinity'::timestamptz ELSE {Now} END";

    private const string ReapCancelled = $"""
        UPDATE operations SET status = 4, error = @error, finished_at = {Now}, updated_at = {Now}, lease_owner = NULL,
            lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE {OrphanFilter} AND cancel_requested
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string ReapExhausted = $"""
        UPDATE operations SET status = 3, error = @error, finished_at = {Now}, updated_at = {Now}, lease_owner = NULL,
            lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE {OrphanFilter} AND attempt >= max_attempts
        RETURNING seq, last_event_seq, attempt, id
        """;

    // An orphan already past its deadline is not requeued only to fail in the same sweep: ReapDeadlines fails it.
    private const string ReapRequeue = $"""
        UPDATE operations SET status = 0, run_after = {Now}, updated_at = {Now}, lease_owner = NULL, lease_expires_at = NULL,
            estimated_completion = NULL, last_event_seq = last_event_seq + 1
        WHERE {OrphanFilter} AND (deadline_at IS NULL OR deadline_at > {Now})
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string ReapDeadlines = $"""
        UPDATE operations SET status = 3, error = @error, finished_at = {Now}, updated_at = {Now}, estimated_completion = NULL,
            lease_owner = NULL, lease_expires_at = NULL, last_event_seq = last_event_seq + 2
        WHERE (status = 0 OR ({OrphanFilter})) AND deadline_at IS NOT NULL AND deadline_at <= {Now}
        RETURNING seq, last_event_seq, attempt, id
        """;

    private const string PruneOperations = $"""
        WITH victims AS (
            SELECT seq, id FROM operations WHERE status >= 2 AND finished_at < {Now} - @retention
            ORDER BY finished_at LIMIT @n FOR UPDATE SKIP LOCKED
        ), events AS (
            DELETE FROM operation_events WHERE operation_seq IN (SELECT seq FROM victims)
        ), keys AS (
            DELETE FROM idempotency_keys WHERE operation_id IN (SELECT id FROM victims)
        ), chunks AS (
            DELETE FROM operation_file_chunks WHERE operation_seq IN (SELECT seq FROM victims)
        ), files AS (
            DELETE FROM operation_files WHERE operation_seq IN (SELECT seq FROM victims)
        )
        DELETE FROM operations WHERE seq IN (SELECT seq FROM victims)
        """;

    private const string PruneIdempotencyKeys = $"DELETE FROM idempotency_keys WHERE expires_at <= {Now}";

    private const string SelectForDelete = "SELECT seq, status FROM operations WHERE id = @id AND tenant = @tenant FOR UPDATE";
    private const string DeleteEvents = "DELETE FROM operation_events WHERE operation_seq = @seq";
    private const string DeleteKeysOf = "DELETE FROM idempotency_keys WHERE operation_id = @id";
    private const string DeleteFilesOf = "DELETE FROM operation_files WHERE operation_seq = @seq";
    private const string DeleteFileChunksOf = "DELETE FROM operation_file_chunks WHERE operation_seq = @seq";
    private const string DeleteOperationRow = "DELETE FROM operations WHERE seq = @seq";

    private const string InsertApiKey = "INSERT INTO api_keys (id, tenant, key_hash, created_at) VALUES (@id, @tenant, @hash, @created)";
    private const string RevokeApiKey = $"UPDATE api_keys SET revoked_at = {Now} WHERE id = @id AND revoked_at IS NULL";


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

        Operation created;
        await using (var command = scope.Command(InsertOperation)
            .P("id", op.Id, NpgsqlDbType.Text).P("tenant", op.Tenant, NpgsqlDbType.Text).P("kind", op.Kind, NpgsqlDbType.Text)
            .P("input", input, NpgsqlDbType.Json).P("metadata", metadata, NpgsqlDbType.Json).P("callback", op.CallbackUrl, NpgsqlDbType.Text)
            .P("priority", op.Priority, NpgsqlDbType.Integer).P("max", op.MaxAttempts, NpgsqlDbType.Integer)
            .P("timeout", op.TimeoutSeconds is { } ts ? (long)(ts * 1000) : null, NpgsqlDbType.Bigint))
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

    public Task ReleaseIdempotencyKeyAsync(ReleaseIdempotencyParams p, CancellationToken cancellationToken)
        => WriteAsync(scope => ExecuteAsync(scope.Command(ReleaseIdempotencyKey).P("tenant", p.Tenant, NpgsqlDbType.Text).P("key", p.Key, NpgsqlDbType.Text), cancellationToken), cancellationToken);

    public Task<CancelResult> CancelAsync(CancelParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        // The row lock orders this cancel against a concurrent claim or completion of the same operation.
        Operation? op;
        await using (var command = scope.Command(LockOperation).P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text))
        {
            var found = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
            op = found.Count == 0 ? null : found[0];
        }
        if (op is null) return new CancelResult(CancelOutcome.NotFound, null);
        if (op.Done) return new CancelResult(CancelOutcome.AlreadyTerminal, op);
        if (op.Status == OperationStatus.Pending)
        {
            var row = await FencedAsync(scope.Command(CancelPending).P("id", p.Id, NpgsqlDbType.Text).P("error", ToJson(OperationErrors.Cancelled), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false);
            if (row is { } r)
            {
                await AppendFinalAsync(scope, r, OperationStatus.Cancelled, OperationErrors.Cancelled, cancellationToken).ConfigureAwait(false);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
                return new CancelResult(CancelOutcome.Cancelled, await SelectInScopeAsync(scope, p.Tenant, p.Id, cancellationToken).ConfigureAwait(false));
            }
        }
        else if (!op.CancelRequested)
        {
            var row = await FencedAsync(scope.Command(CancelRunning).P("id", p.Id, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
            if (row is { } r)
            {
                await AppendEventAsync(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Running, r.Attempt, cancelRequested: true), cancellationToken).ConfigureAwait(false);
                scope.Notify(StoreNotificationKind.CancelRequested, p.Id);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
            }
        }
        return new CancelResult(CancelOutcome.Requested, await SelectInScopeAsync(scope, p.Tenant, p.Id, cancellationToken).ConfigureAwait(false));
    }, cancellationToken);

    public Task<DeleteOutcome> DeleteAsync(DeleteParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        long seq;
        int status;
        await using (var command = scope.Command(SelectForDelete).P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return DeleteOutcome.NotFound;
            seq = reader.GetInt64(0);
            status = reader.GetInt32(1);
        }
        if (!((OperationStatus)status).IsTerminal()) return DeleteOutcome.NotTerminal;
        await ExecuteAsync(scope.Command(DeleteEvents).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteKeysOf).P("id", p.Id, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteFileChunksOf).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteFilesOf).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(DeleteOperationRow).P("seq", seq, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Id);
        return DeleteOutcome.Deleted;
    }, cancellationToken);

    public async Task<IReadOnlyList<Operation>> ClaimAsync(ClaimParams p, CancellationToken cancellationToken)
    {
        var claimed = await ClaimInTransactionAsync(p, cancellationToken).ConfigureAwait(false);
        if (_claimedSeqs.Count > MaxClaimedSeqs) _claimedSeqs.Clear();
        foreach (var (seq, op) in claimed) _claimedSeqs[op.Id] = seq;
        return claimed.ConvertAll(c => c.Op);
    }

    private Task<List<(long Seq, Operation Op)>> ClaimInTransactionAsync(ClaimParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var claimed = new List<(long Seq, Operation Op)>();
        await using (var command = scope.Command(Claim)
            .P("owner", p.Owner, NpgsqlDbType.Text).P("lease", p.LeaseDuration, NpgsqlDbType.Interval)
            .P("pre", RunningTemplate.Prefix, NpgsqlDbType.Text).P("suf", RunningTemplate.Suffix, NpgsqlDbType.Text)
            .P("kinds", p.Kinds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text).P("max", p.Max, NpgsqlDbType.Integer))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) claimed.Add((reader.GetInt64(0), ReadOperation(reader)));
        }
        // The order the ready index gave them: highest priority first, then oldest.
        claimed.Sort(static (a, b) => a.Op.Priority != b.Op.Priority ? b.Op.Priority.CompareTo(a.Op.Priority) : a.Seq.CompareTo(b.Seq));
        foreach (var (_, op) in claimed) scope.Notify(StoreNotificationKind.OperationChanged, op.Id);
        return claimed;
    }, cancellationToken);

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

    public Task<bool> RecordAsync(RecordParams p, CancellationToken cancellationToken)
    {
        var eventData = p.Progress is null ? null : EventData.Progress(p.Progress, p.EstimatedCompletion);
        return FencedWriteAsync(new PostgresFencedWrite(Record, RecordMany, p.Lease.Id, eventData is not null,
        [
            new("progress", ToJson(p.Progress), NpgsqlDbType.Json),
            new("eta", p.EstimatedCompletion?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
            new("checkpoint", ToJson(p.Checkpoint), NpgsqlDbType.Json),
            new("events", eventData is null ? 0L : 1L, NpgsqlDbType.Bigint),
            new("data", eventData, NpgsqlDbType.Json),
            new("id", p.Lease.Id, NpgsqlDbType.Text),
            new("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint),
        ]), cancellationToken);
    }

    public Task<bool> AppendOutputAsync(OutputParams p, CancellationToken cancellationToken)
        => FencedWriteAsync(new PostgresFencedWrite(Output, OutputMany, p.Lease.Id, true,
        [
            new("data", p.Chunk.GetRawText(), NpgsqlDbType.Json),
            new("id", p.Lease.Id, NpgsqlDbType.Text),
            new("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint),
        ]), cancellationToken);

    public Task<bool> CompleteAsync(CompleteParams p, CancellationToken cancellationToken)
    {
        if (!p.Status.IsTerminal()) throw new ArgumentException("Complete needs a final status.", nameof(p));
        var (pre, suf) = StatusTemplate(p.Status, p.Error);
        var files = MayHaveFileChunks(p.Lease);
        var written = FencedWriteAsync(new PostgresFencedWrite(
            files ? Complete : CompleteWithoutFiles, files ? CompleteMany : CompleteManyWithoutFiles, p.Lease.Id, true,
        [
            new("status", (int)p.Status, NpgsqlDbType.Integer),
            new("result", ToJson(p.Result), NpgsqlDbType.Json),
            new("error", p.Error is null ? null : ToJson(p.Error), NpgsqlDbType.Json),
            new("pre", pre, NpgsqlDbType.Text),
            new("suf", suf, NpgsqlDbType.Text),
            new("id", p.Lease.Id, NpgsqlDbType.Text),
            new("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint),
        ]), cancellationToken);
        return ForgetSeqAfter(written, p.Lease.Id);
    }

    /// <summary>The write's own task, the operation dropped from <see cref="_claimedSeqs"/> once it has settled.</summary>
    private async Task<bool> ForgetSeqAfter(Task<bool> write, string id)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        finally
        {
            _claimedSeqs.TryRemove(id, out _);
            _chunkWriters.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// False only when no file chunk of the operation can exist: its first lease ever (epoch 1, so no earlier holder
    /// wrote any) and this node wrote none in it. Chunks are written only by a lease holder, through this store.
    /// </summary>
    private bool MayHaveFileChunks(LeaseRef lease) => lease.Epoch != 1 || _chunkWriters.ContainsKey(lease.Id);

    /// <summary>A fenced worker write through the group commit (<see cref="PostgresWriteBatcher"/>).</summary>
    private Task<bool> FencedWriteAsync(PostgresFencedWrite write, CancellationToken cancellationToken)
        => _batcher.WriteAsync(
            _claimedSeqs.TryGetValue(write.OperationId, out var seq) ? write with { OrderKey = seq } : write,
            cancellationToken);

    /// <summary>One fenced write in its own transaction: true when its statement returned a row (the lease held).</summary>
    private Task<bool> WriteAloneAsync(PostgresFencedWrite write, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var command = scope.Command(write.Sql);
        foreach (var parameter in write.Parameters) command.P(parameter.Name, parameter.Value, parameter.Type);
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return false;
        }
        if (write.NotifyChanged) scope.Notify(StoreNotificationKind.OperationChanged, write.OperationId);
        return true;
    }, cancellationToken);

    private static readonly (string Prefix, string Suffix) RunningTemplate = StatusTemplate(OperationStatus.Running, null);

    /// <summary>
    /// <see cref="EventData.Status"/>'s JSON split around the attempt, for statements that know the attempt only from
    /// the row they change: the data is <c>prefix || attempt || suffix</c>.
    /// </summary>
    private static (string Prefix, string Suffix) StatusTemplate(OperationStatus status, OperationError? error)
    {
        const string Marker = "\"attempt\":0";
        var json = EventData.Status(status, 0, error);
        var at = json.IndexOf(Marker, StringComparison.Ordinal);
        return (json[..(at + Marker.Length - 1)], json[(at + Marker.Length)..]);
    }

    public Task<bool> RetryAsync(RetryParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        _claimedSeqs.TryRemove(p.Lease.Id, out _);
        _chunkWriters.TryRemove(p.Lease.Id, out _);
        ChangedRow? row = null;
        DateTimeOffset runAfter = default;
        await using (var command = scope.Command(Retry)
            .P("delay", p.Delay, NpgsqlDbType.Interval).P("error", ToJson(p.Error), NpgsqlDbType.Json)
            .P("id", p.Lease.Id, NpgsqlDbType.Text).P("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row = new ChangedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), null);
                runAfter = reader.GetFieldValue<DateTimeOffset>(3);
            }
        }
        if (row is not { } r) return false;
        await AppendEventAsync(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, p.Error, "retry", runAfter), cancellationToken).ConfigureAwait(false);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
        return true;
    }, cancellationToken);

    public Task<bool> HandBackAsync(HandBackParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        _claimedSeqs.TryRemove(p.Lease.Id, out _);
        _chunkWriters.TryRemove(p.Lease.Id, out _);
        var row = await FencedAsync(scope.Command(HandBack).P("id", p.Lease.Id, NpgsqlDbType.Text).P("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        if (row is not { } r) return false;
        await AppendEventAsync(scope, r.OpSeq, r.LastSeq, EventTypes.Status, EventData.Status(OperationStatus.Pending, r.Attempt, reason: "handed_back"), cancellationToken).ConfigureAwait(false);
        scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
        scope.Notify(StoreNotificationKind.WorkAvailable);
        return true;
    }, cancellationToken);

    public Task<ReapResult> ReapAsync(ReapParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var failed = 0;
        foreach (var r in await RowsAsync(scope.Command(ReapCancelled).P("all", p.AllLeasesOf, NpgsqlDbType.Boolean).P("error", ToJson(OperationErrors.Cancelled), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false))
        {
            await AppendFinalAsync(scope, r, OperationStatus.Cancelled, OperationErrors.Cancelled, cancellationToken).ConfigureAwait(false);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
        }
        foreach (var r in await RowsAsync(scope.Command(ReapExhausted).P("all", p.AllLeasesOf, NpgsqlDbType.Boolean).P("error", ToJson(OperationErrors.WorkerLost), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false))
        {
            await AppendFinalAsync(scope, r, OperationStatus.Failed, OperationErrors.WorkerLost, cancellationToken).ConfigureAwait(false);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        var requeued = await RowsAsync(scope.Command(ReapRequeue).P("all", p.AllLeasesOf, NpgsqlDbType.Boolean), cancellationToken).ConfigureAwait(false);
        if (requeued.Count > 0)
        {
            await AppendEventsAsync(scope, EventTypes.Status,
                requeued.ConvertAll(r => (r.OpSeq, r.LastSeq, EventData.Status(OperationStatus.Pending, r.Attempt, reason: "lease_expired"))),
                cancellationToken).ConfigureAwait(false);
            foreach (var r in requeued) scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            scope.Notify(StoreNotificationKind.WorkAvailable);
        }
        foreach (var r in await RowsAsync(scope.Command(ReapDeadlines).P("all", p.AllLeasesOf, NpgsqlDbType.Boolean).P("error", ToJson(OperationErrors.DeadlineExceeded), NpgsqlDbType.Json), cancellationToken).ConfigureAwait(false))
        {
            await AppendFinalAsync(scope, r, OperationStatus.Failed, OperationErrors.DeadlineExceeded, cancellationToken).ConfigureAwait(false);
            scope.Notify(StoreNotificationKind.OperationChanged, r.Id);
            failed++;
        }
        return new ReapResult(requeued.Count, failed);
    }, cancellationToken);

    public Task<int> PruneAsync(PruneParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var pruned = await ExecuteAsync(scope.Command(PruneOperations)
            .P("retention", p.Retention, NpgsqlDbType.Interval).P("n", p.BatchSize, NpgsqlDbType.Integer), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(PruneIdempotencyKeys), cancellationToken).ConfigureAwait(false);
        return pruned;
    }, cancellationToken);

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) => WriteAsync(scope =>
        ExecuteAsync(scope.Command(InsertApiKey)
            .P("id", key.Id, NpgsqlDbType.Text).P("tenant", key.Tenant, NpgsqlDbType.Text).P("hash", key.KeyHash, NpgsqlDbType.Text)
            .P("created", key.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz), cancellationToken), cancellationToken);

    public async Task<bool> RevokeApiKeyAsync(string id, CancellationToken cancellationToken)
        => await WriteAsync(scope => ExecuteAsync(scope.Command(RevokeApiKey).P("id", id, NpgsqlDbType.Text), cancellationToken), cancellationToken).ConfigureAwait(false) > 0;

    private static async Task<Operation?> SelectInScopeAsync(PostgresWriteScope scope, string? tenant, string id, CancellationToken cancellationToken)
    {
        await using var command = scope.Command(SelectOperation).P("id", id, NpgsqlDbType.Text).P("tenant", tenant, NpgsqlDbType.Text);
        var found = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<int> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs an UPDATE … RETURNING seq, last_event_seq, attempt; null when no row matched (fenced off).</summary>
    private static async Task<ChangedRow?> FencedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new ChangedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), null)
                : null;
        }
    }

    private static async Task<List<ChangedRow>> RowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ChangedRow>();
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new ChangedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3)));
            }
        }
        return rows;
    }

    /// <summary>The final <c>status</c> event and the <c>done</c> event after it (seq - 1 and seq).</summary>
    private static Task AppendFinalAsync(PostgresWriteScope scope, ChangedRow r, OperationStatus status, OperationError? error, CancellationToken cancellationToken)
        => ExecuteAsync(scope.Command(InsertFinalEvents)
            .P("op", r.OpSeq, NpgsqlDbType.Bigint).P("seq", r.LastSeq - 1, NpgsqlDbType.Bigint)
            .P("data", EventData.Status(status, r.Attempt, error), NpgsqlDbType.Json).P("done", r.LastSeq, NpgsqlDbType.Bigint), cancellationToken);

    private static Task AppendEventAsync(PostgresWriteScope scope, long opSeq, long seq, string type, string? data, CancellationToken cancellationToken)
        => ExecuteAsync(scope.Command(InsertEvent)
            .P("op", opSeq, NpgsqlDbType.Bigint).P("seq", seq, NpgsqlDbType.Bigint).P("type", type, NpgsqlDbType.Text)
            .P("data", data, NpgsqlDbType.Json), cancellationToken);

    /// <summary>Appends one event of <paramref name="type"/> per entry, in one statement.</summary>
    private static Task AppendEventsAsync(PostgresWriteScope scope, string type, List<(long OpSeq, long Seq, string Data)> events, CancellationToken cancellationToken)
        => ExecuteAsync(scope.Command(InsertEvents)
            .P("type", type, NpgsqlDbType.Text)
            .P("ops", events.ConvertAll(e => e.OpSeq).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .P("seqs", events.ConvertAll(e => e.Seq).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .P("datas", events.ConvertAll(e => e.Data).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text), cancellationToken);

    private readonly record struct ChangedRow(long OpSeq, long LastSeq, int Attempt, string? Id);
}
