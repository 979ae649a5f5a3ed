using Longhaul.Contracts;
using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // One statement, one snapshot: active counts (tenant/status index), finished within the window (finished-time
    // index) and the ready queue. Rows: group 0 = active, 1 = finished, 2 = ready (kind and status null), 3 = now.
    private const string Overview = $"""
        SELECT 0, kind, status, count(*), NULL::timestamptz FROM operations WHERE tenant = @tenant AND status IN (0, 1) GROUP BY kind, status
        UNION ALL
        SELECT 1, kind, status, count(*), NULL FROM operations
        WHERE status >= 2 AND finished_at >= {Now} - @window AND tenant = @tenant GROUP BY kind, status
        UNION ALL
        SELECT 2, NULL, NULL, count(*), NULL FROM operations WHERE tenant = @tenant AND status = 0 AND run_after <= {Now}
        UNION ALL
        SELECT 3, NULL, NULL, 0, {Now}
        """;

    private const string ListChanges = $"""
        SELECT * FROM (
          SELECT {Columns} FROM operations WHERE {IndexedFilter} AND status < 2 AND updated_at >= @since AND {ScanFilter}
          UNION ALL
          SELECT {Columns} FROM operations WHERE status >= 2 AND finished_at >= @since AND {IndexedFilter} AND {ScanFilter}
        ) c ORDER BY updated_at, seq LIMIT @limit
        """;

    /// <inheritdoc/>
    public async Task<StoreOverview> OverviewAsync(OverviewParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(Overview).P("tenant", p.Tenant, NpgsqlDbType.Text).P("window", p.Window, NpgsqlDbType.Interval);
        var active = new List<OverviewCount>();
        var finished = new List<OverviewCount>();
        long ready = 0;
        var now = DateTimeOffset.MinValue;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (reader.GetInt32(0))
            {
                case 0: active.Add(new OverviewCount(reader.GetString(1), (OperationStatus)reader.GetInt32(2), reader.GetInt64(3))); break;
                case 1: finished.Add(new OverviewCount(reader.GetString(1), (OperationStatus)reader.GetInt32(2), reader.GetInt64(3))); break;
                case 2: ready = reader.GetInt64(3); break;
                default: now = reader.GetFieldValue<DateTimeOffset>(4); break;
            }
        }
        return new StoreOverview(now, active, finished, ready);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Operation>> ListChangesAsync(ChangesParams p, CancellationToken cancellationToken)
    {
        await using var command = Filtered(ReadCommand(ListChanges), p.Filter)
            .P("since", p.Since.ToUniversalTime(), NpgsqlDbType.TimestampTz).P("limit", p.Limit, NpgsqlDbType.Integer);
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }
}
