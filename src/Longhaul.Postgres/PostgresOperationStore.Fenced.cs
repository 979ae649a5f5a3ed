using Longhaul.Contracts;
using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // The fenced worker writes are one statement each: the UPDATE (0 rows when the lease is lost) and, through its
    // RETURNING rows, the events it appends, so a write is one round trip and can share a batch (PostgresWriteBatcher).
    private const string Record = $"""
        WITH u AS (
            UPDATE operations
            SET progress = COALESCE(@progress, progress),
                estimated_completion = CASE WHEN @progress IS NULL THEN estimated_completion ELSE @eta END,
                checkpoint = COALESCE(@checkpoint, checkpoint), updated_at = {Now}, last_event_seq = last_event_seq + @events
            WHERE id = @id AND lease_epoch = @epoch AND {IsRunning} AND (max_events IS NULL OR last_event_seq + @events <= max_events)
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
            WHERE id = @id AND lease_epoch = @epoch AND {IsRunning} AND (max_events IS NULL OR last_event_seq + 1 <= max_events)
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
            RETURNING seq, last_event_seq, attempt, id, tenant, status, callback_url
        ), e AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq - 1, '{EventTypes.Status}', (@pre || attempt || @suf)::json, {Now} FROM u
            UNION ALL
            SELECT seq, last_event_seq, '{EventTypes.Done}', NULL, {Now} FROM u
        ), w AS (
            {InsertDeliveries} FROM u WHERE callback_url IS NOT NULL
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
            FROM mine m WHERE o.seq = m.seq AND (o.max_events IS NULL OR o.last_event_seq + m.events <= o.max_events)
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
            FROM mine m WHERE o.seq = m.seq AND (o.max_events IS NULL OR o.last_event_seq + 1 <= o.max_events)
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
            RETURNING o.seq, o.id, o.last_event_seq, o.attempt, m.pre, m.suf, o.tenant, o.status, o.callback_url
        ), e AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq - 1, '{EventTypes.Status}', (pre || attempt || suf)::json, {Now} FROM u
            UNION ALL
            SELECT seq, last_event_seq, '{EventTypes.Done}', NULL, {Now} FROM u
        ), w AS (
            {InsertDeliveries} FROM u WHERE callback_url IS NOT NULL
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

    /// <inheritdoc/>
    public Task<EventWriteResult> RecordAsync(RecordParams p, CancellationToken cancellationToken)
    {
        var eventData = p.Progress is null ? null : EventData.Progress(p.Progress, p.EstimatedCompletion);
        var written = FencedWriteAsync(new PostgresFencedWrite(Record, RecordMany, p.Lease.Id, eventData is not null,
        [
            new("progress", ToJson(p.Progress), NpgsqlDbType.Json),
            new("eta", p.EstimatedCompletion?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
            new("checkpoint", ToJson(p.Checkpoint), NpgsqlDbType.Json),
            new("events", eventData is null ? 0L : 1L, NpgsqlDbType.Bigint),
            new("data", eventData, NpgsqlDbType.Json),
            new("id", p.Lease.Id, NpgsqlDbType.Text),
            new("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint),
        ]), cancellationToken);
        return eventData is null ? AsEventWrite(written) : FailOverEventLimitAfterAsync(written, p.Lease, 1, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<EventWriteResult> AppendOutputAsync(OutputParams p, CancellationToken cancellationToken)
        => AppendFencedEventAsync(Output, OutputMany, p.Lease, p.Chunk.GetRawText(), cancellationToken);

    /// <summary>One event appended under the lease by <paramref name="sql"/> (its set form <paramref name="setSql"/>): output, warning.</summary>
    private Task<EventWriteResult> AppendFencedEventAsync(string sql, string setSql, LeaseRef lease, string data, CancellationToken cancellationToken)
        => FailOverEventLimitAfterAsync(FencedWriteAsync(new PostgresFencedWrite(sql, setSql, lease.Id, true,
        [
            new("data", data, NpgsqlDbType.Json),
            new("id", lease.Id, NpgsqlDbType.Text),
            new("epoch", lease.Epoch, NpgsqlDbType.Bigint),
        ]), cancellationToken), lease, 1, cancellationToken);

    /// <inheritdoc/>
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
}
