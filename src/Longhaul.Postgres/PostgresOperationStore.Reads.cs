using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string SelectOperation = $"SELECT {Columns} FROM operations WHERE id = @id AND (@tenant IS NULL OR tenant = @tenant)";

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
