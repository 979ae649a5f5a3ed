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

    /// <summary>
    /// The start of the insert of a just-finished operation's webhook delivery; each final-state statement completes it
    /// with <c>FROM</c> its changed rows (columns seq, id, tenant, status, callback_url) and a callback URL filter, so the
    /// delivery commits with the final state. Its id is the <c>webhook-id</c>.
    /// </summary>
    private const string InsertDeliveries = $"""
        INSERT INTO webhook_deliveries (id, operation_seq, operation_id, tenant, url, event_type, next_attempt_at, window_start, created_at, updated_at)
        SELECT CASE WHEN left(id, 3) = 'op_' THEN 'msg_' || substr(id, 4) ELSE 'msg_' || id END, seq, id, tenant, callback_url,
            CASE status WHEN 2 THEN 'operation.succeeded' WHEN 3 THEN 'operation.failed' ELSE 'operation.cancelled' END,
            {Now}, {Now}, {Now}, {Now}
        """;

    private const string InsertFinalEvents = $"""
        WITH w AS (
            {InsertDeliveries} FROM operations WHERE seq = @op AND callback_url IS NOT NULL
        )
        INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
        VALUES (@op, @seq, '{EventTypes.Status}', @data, {Now}), (@op, @done, '{EventTypes.Done}', NULL, {Now})
        """;

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

    /// <summary>
    /// The final <c>status</c> event and the <c>done</c> event after it (seq - 1 and seq), and the webhook delivery when
    /// the operation has a callback URL.
    /// </summary>
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
