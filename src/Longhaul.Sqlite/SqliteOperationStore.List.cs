using System.Globalization;
using System.Text;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    /// <inheritdoc/>
    public async Task<ListResult> ListAsync(ListParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var indexed = IndexedFilter(p, command);
        var page = $"{indexed} AND ($before IS NULL OR seq < $before)";
        command.CommandText = p.HasScanFilter
            ? $"""
              SELECT {Columns} FROM operations WHERE seq IN (
                SELECT seq FROM (SELECT seq, created_at, metadata FROM operations WHERE {page} ORDER BY seq DESC LIMIT $scan)
                WHERE {ScanFilter(p, command)})
              ORDER BY seq DESC LIMIT $limit
              """
            : $"SELECT {Columns} FROM operations WHERE {page} ORDER BY seq DESC LIMIT $limit";
        command.P("$before", p.BeforeCursor).P("$limit", p.PageSize + 1).P("$scan", p.ScanLimit);
        List<Operation> operations;
        long? next;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            (operations, next) = await ListPages.ReadAsync(reader, p, r => ReadOperation((SqliteDataReader)r), cancellationToken).ConfigureAwait(false);
        if (next is null && p.HasScanFilter)
        {
            // The page was not filled: when the scan window was full, older operations remain to examine.
            await using var edge = connection.CreateCommand();
            edge.CommandText = $"SELECT count(*), min(seq) FROM (SELECT seq FROM operations WHERE {IndexedFilter(p, edge)} AND ($before IS NULL OR seq < $before) ORDER BY seq DESC LIMIT $scan)";
            edge.P("$before", p.BeforeCursor).P("$scan", p.ScanLimit);
            await using var reader = await edge.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            next = await ListPages.ScanEdgeAsync(reader, p, cancellationToken).ConfigureAwait(false);
        }
        return new ListResult(operations, next);
    }

    /// <inheritdoc/>
    public async Task<ListCount> CountAsync(ListParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var indexed = IndexedFilter(p, command);
        var matching = p.HasScanFilter ? ScanFilter(p, command) : "1";
        command.CommandText = $"""
            SELECT count(*) FILTER (WHERE {matching}), count(*)
            FROM (SELECT created_at, metadata FROM operations WHERE {indexed} ORDER BY seq DESC LIMIT $scan + 1)
            """;
        command.P("$scan", p.ScanLimit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var examined = reader.GetInt64(1);
        var count = reader.GetInt64(0);
        return examined > p.ScanLimit ? new ListCount(Math.Min(count, p.ScanLimit), false) : new ListCount(count, true);
    }

    /// <summary>
    /// Tenant, statuses and kind: the filters the <c>(tenant, seq)</c> index of unfinished work, the <c>(tenant, status, seq)</c>
    /// index of finished work and the <c>(tenant, seq)</c> index of all work serve.
    /// </summary>
    private static string IndexedFilter(ListParams p, SqliteCommand command)
    {
        var sql = new StringBuilder("tenant = $tenant");
        command.P("$tenant", p.Tenant);
        var statuses = p.StatusSet();
        if (statuses.Count > 0)
        {
            // Unfinished and finished work have an index each (no claim or final write moves a row within a tenant-keyed
            // index): `finished_at` tells them apart, so each set of statuses names the index that holds it.
            var active = statuses.Where(s => !s.IsTerminal()).ToList();
            var finished = statuses.Where(s => s.IsTerminal()).ToList();
            var n = 0;
            if (active.Count > 0 && finished.Count > 0) sql.Append(" AND (");
            else sql.Append(" AND ");
            if (active.Count > 0) sql.Append("(finished_at IS NULL AND ").Append(StatusIn(active, command, ref n)).Append(')');
            if (active.Count > 0 && finished.Count > 0) sql.Append(" OR ");
            if (finished.Count > 0) sql.Append("(finished_at IS NOT NULL AND ").Append(StatusIn(finished, command, ref n)).Append(')');
            if (active.Count > 0 && finished.Count > 0) sql.Append(')');
        }
        if (p.Kind is not null)
        {
            sql.Append(" AND kind = $kind");
            command.P("$kind", p.Kind);
        }
        return sql.ToString();
    }

    private static string StatusIn(List<OperationStatus> statuses, SqliteCommand command, ref int n)
    {
        var sql = new StringBuilder("status IN (");
        for (var i = 0; i < statuses.Count; i++, n++)
        {
            var name = "$status" + n.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? name : ", " + name);
            command.P(name, (int)statuses[i]);
        }
        return sql.Append(')').ToString();
    }

    /// <summary>Creation time and metadata: filters no index serves (bounded by <see cref="ListParams.ScanLimit"/>).</summary>
    private static string ScanFilter(ListParams p, SqliteCommand command)
    {
        var sql = new StringBuilder("1");
        if (p.CreatedAfter is { } after)
        {
            sql.Append(" AND created_at >= $created_after");
            command.P("$created_after", after.ToUnixTimeMilliseconds());
        }
        if (p.CreatedBefore is { } before)
        {
            sql.Append(" AND created_at < $created_before");
            command.P("$created_before", before.ToUnixTimeMilliseconds());
        }
        for (var i = 0; i < p.Metadata.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            // A quoted path takes the key literally (dots included); only string values match, as on PostgreSQL.
            sql.Append(CultureInfo.InvariantCulture, $" AND json_type(metadata, $mpath{n}) = 'text' AND json_extract(metadata, $mpath{n}) = $mval{n}");
            command.P("$mpath" + n, "$.\"" + p.Metadata[i].Key + "\"").P("$mval" + n, p.Metadata[i].Value);
        }
        return sql.ToString();
    }
}
