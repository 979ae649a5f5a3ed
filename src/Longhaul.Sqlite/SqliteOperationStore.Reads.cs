using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    /// <inheritdoc/>
    public async Task<Operation?> GetAsync(GetParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM operations WHERE id = $id AND ($tenant IS NULL OR tenant = $tenant)";
        command.P("$id", p.Id).P("$tenant", p.Tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadOperation(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OperationEvent>> ReadEventsAsync(ReadEventsParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT e.seq, e.type, e.data, e.created_at FROM operation_events e
            WHERE e.operation_seq = (SELECT seq FROM operations WHERE id = $id) AND e.seq > $after
            ORDER BY e.seq LIMIT $limit
            """;
        command.P("$id", p.Id).P("$after", p.AfterSeq).P("$limit", p.Limit);
        var events = new List<OperationEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new OperationEvent(reader.GetInt64(0), reader.GetString(1), Json(reader, 2), Time(reader.GetInt64(3))));
        }
        return events;
    }
}
