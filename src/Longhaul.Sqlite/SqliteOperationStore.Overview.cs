using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string OverviewActive = """
        SELECT kind, status, count(*) FROM operations WHERE tenant = $tenant AND finished_at IS NULL AND status IN (0, 1) GROUP BY kind, status
        """;

    private const string OverviewFinished = """
        SELECT kind, status, count(*) FROM operations INDEXED BY ix_operations_finished
        WHERE status >= 2 AND finished_at >= $since AND tenant = $tenant GROUP BY kind, status
        """;

    private const string OverviewReady = "SELECT count(*) FROM operations WHERE tenant = $tenant AND finished_at IS NULL AND status = 0 AND run_after <= $now";

    /// <inheritdoc/>
    public async Task<StoreOverview> OverviewAsync(OverviewParams p, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        var active = await CountByKindAsync(connection, OverviewActive, p.Tenant, 0, cancellationToken).ConfigureAwait(false);
        var finished = await CountByKindAsync(connection, OverviewFinished, p.Tenant, (now - p.Window).ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = OverviewReady;
        command.P("$tenant", p.Tenant).P("$now", now.ToUnixTimeMilliseconds());
        var ready = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new StoreOverview(now, active, finished, ready);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Operation>> ListChangesAsync(ChangesParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var indexed = IndexedFilter(p.Filter, command);
        var scan = ScanFilter(p.Filter, command);
        command.CommandText = $"""
            SELECT {Columns} FROM operations WHERE {indexed} AND status < 2 AND updated_at >= $since AND {scan}
            UNION ALL
            SELECT {Columns} FROM operations INDEXED BY ix_operations_finished
            WHERE status >= 2 AND finished_at >= $since AND {indexed} AND {scan}
            ORDER BY updated_at, seq LIMIT $limit
            """;
        command.P("$since", p.Since.ToUnixTimeMilliseconds()).P("$limit", p.Limit);
        var changed = new List<Operation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) changed.Add(ReadOperation(reader));
        return changed;
    }

    private static async Task<IReadOnlyList<OverviewCount>> CountByKindAsync(SqliteConnection connection, string sql, string tenant, long since, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.P("$tenant", tenant).P("$since", since);
        var counts = new List<OverviewCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new OverviewCount(reader.GetString(0), (OperationStatus)reader.GetInt32(1), reader.GetInt64(2)));
        }
        return counts;
    }
}
