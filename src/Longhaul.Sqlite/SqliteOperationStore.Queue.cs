using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    // Pending and running only (status 0 and 1): finished rows are unbounded and not a queue.
    private const string CountQueue = """
        SELECT kind, status, count(*), min(CASE WHEN status = 0 THEN run_after END)
        FROM operations WHERE status IN (0, 1) GROUP BY kind, status
        """;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<QueueCount>> CountQueueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = CountQueue;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new List<QueueCount>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new QueueCount(reader.GetString(0), (OperationStatus)reader.GetInt32(1), reader.GetInt64(2), Time(reader, 3)));
        }
        return counts;
    }
}
