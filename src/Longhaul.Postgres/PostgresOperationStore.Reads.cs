using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string SelectOperation = $"SELECT {Columns} FROM operations WHERE id = @id AND (@tenant IS NULL OR tenant = @tenant)";

    private const string ListOperations = $"""
        SELECT {Columns} FROM operations
        WHERE tenant = @tenant AND (@status IS NULL OR status = @status) AND (@kind IS NULL OR kind = @kind)
          AND (@before IS NULL OR seq < @before)
        ORDER BY seq DESC LIMIT @limit
        """;

    private const string SelectEvents = """
        SELECT e.seq, e.type, e.data, e.created_at FROM operation_events e
        WHERE e.operation_seq = (SELECT seq FROM operations WHERE id = @id) AND e.seq > @after
        ORDER BY e.seq LIMIT @limit
        """;

    /// <inheritdoc/>
    public async Task<Operation?> GetAsync(GetParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(SelectOperation)
            .P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text);
        var found = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<ListResult> ListAsync(ListParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(ListOperations)
            .P("tenant", p.Tenant, NpgsqlDbType.Text).P("status", p.Status is { } s ? (int)s : null, NpgsqlDbType.Integer)
            .P("kind", p.Kind, NpgsqlDbType.Text).P("before", p.BeforeCursor, NpgsqlDbType.Bigint)
            .P("limit", p.PageSize + 1, NpgsqlDbType.Integer);
        var operations = new List<Operation>(p.PageSize + 1);
        long? lastSeq = null;
        long? next = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (operations.Count == p.PageSize)
            {
                next = lastSeq;
                break;
            }
            operations.Add(ReadOperation(reader));
            lastSeq = reader.GetInt64(0);
        }
        return new ListResult(operations, next);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OperationEvent>> ReadEventsAsync(ReadEventsParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(SelectEvents)
            .P("id", p.Id, NpgsqlDbType.Text).P("after", p.AfterSeq, NpgsqlDbType.Bigint).P("limit", p.Limit, NpgsqlDbType.Integer);
        var events = new List<OperationEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new OperationEvent(reader.GetInt64(0), reader.GetString(1), Json(reader, 2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return events;
    }
}
