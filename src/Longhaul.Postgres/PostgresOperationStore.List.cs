using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // Tenant, statuses and kind: served by the (tenant, status, seq) and (tenant, seq) indexes.
    private const string IndexedFilter = """
        tenant = @tenant AND (cardinality(@statuses) = 0 OR status = ANY(@statuses)) AND (@kind IS NULL OR kind = @kind)
        """;

    // Creation time and metadata: no index serves them, so they run over a window of at most @scan rows.
    private const string ScanFilter = """
        (@created_after IS NULL OR created_at >= @created_after) AND (@created_before IS NULL OR created_at < @created_before)
        AND NOT EXISTS (SELECT 1 FROM unnest(@mkeys, @mvals) AS f(k, v)
                        WHERE json_typeof(metadata -> f.k) IS DISTINCT FROM 'string' OR metadata ->> f.k <> f.v)
        """;

    private const string ListOperations = $"""
        SELECT {Columns} FROM operations WHERE {IndexedFilter} AND (@before IS NULL OR seq < @before)
        ORDER BY seq DESC LIMIT @limit
        """;

    private const string ListOperationsScanned = $"""
        SELECT {Columns} FROM operations WHERE seq IN (
          SELECT seq FROM (SELECT seq, created_at, metadata FROM operations
                           WHERE {IndexedFilter} AND (@before IS NULL OR seq < @before) ORDER BY seq DESC LIMIT @scan) w
          WHERE {ScanFilter})
        ORDER BY seq DESC LIMIT @limit
        """;

    private const string ListScanEdge = $"""
        SELECT count(*), min(seq) FROM (SELECT seq FROM operations
          WHERE {IndexedFilter} AND (@before IS NULL OR seq < @before) ORDER BY seq DESC LIMIT @scan) w
        """;

    private const string CountOperations = $"""
        SELECT count(*) FILTER (WHERE {ScanFilter}), count(*)
        FROM (SELECT created_at, metadata FROM operations WHERE {IndexedFilter} ORDER BY seq DESC LIMIT @scan + 1) w
        """;

    /// <inheritdoc/>
    public async Task<ListResult> ListAsync(ListParams p, CancellationToken cancellationToken)
    {
        await using var command = Filtered(ReadCommand(p.HasScanFilter ? ListOperationsScanned : ListOperations), p)
            .P("before", p.BeforeCursor, NpgsqlDbType.Bigint).P("limit", p.PageSize + 1, NpgsqlDbType.Integer);
        List<Operation> operations;
        long? next;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            (operations, next) = await ListPages.ReadAsync(reader, p, r => ReadOperation((NpgsqlDataReader)r), cancellationToken).ConfigureAwait(false);
        if (next is null && p.HasScanFilter)
        {
            // The page was not filled: when the scan window was full, older operations remain to examine.
            await using var edge = Filtered(ReadCommand(ListScanEdge), p).P("before", p.BeforeCursor, NpgsqlDbType.Bigint);
            await using var reader = await edge.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            next = await ListPages.ScanEdgeAsync(reader, p, cancellationToken).ConfigureAwait(false);
        }
        return new ListResult(operations, next);
    }

    /// <inheritdoc/>
    public async Task<ListCount> CountAsync(ListParams p, CancellationToken cancellationToken)
    {
        await using var command = Filtered(ReadCommand(CountOperations), p);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var count = reader.GetInt64(0);
        return reader.GetInt64(1) > p.ScanLimit ? new ListCount(Math.Min(count, p.ScanLimit), false) : new ListCount(count, true);
    }

    /// <summary>Binds every filter parameter of <see cref="IndexedFilter"/> and <see cref="ScanFilter"/>, and <c>@scan</c>.</summary>
    private static NpgsqlCommand Filtered(NpgsqlCommand command, ListParams p) => command
        .P("tenant", p.Tenant, NpgsqlDbType.Text)
        .P("statuses", p.StatusSet().Select(s => (int)s).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer)
        .P("kind", p.Kind, NpgsqlDbType.Text)
        .P("created_after", p.CreatedAfter?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
        .P("created_before", p.CreatedBefore?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
        .P("mkeys", p.Metadata.Select(m => m.Key).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
        .P("mvals", p.Metadata.Select(m => m.Value).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
        .P("scan", p.ScanLimit, NpgsqlDbType.Integer);
}
