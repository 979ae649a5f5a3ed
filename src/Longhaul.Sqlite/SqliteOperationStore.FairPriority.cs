using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

/// <summary>
/// A tenant's share of a claim by priority (ADR 0025), without an index of the tenant's ready work that every claim would
/// change: only operations of a priority other than the default (0) are in <c>ix_operations_tenant_prioritized</c>; the
/// tenant's default-priority ones come from the fair walk, in which they already stand in age order (a tenant's virtual
/// starts grow with its seq).
/// </summary>
public sealed partial class SqliteOperationStore
{
    // A tenant's ready work of another priority than 0: the higher ones first, then (after its priority-0 work) the lower.
    private const string TenantPrioritized = $"""
        SELECT seq, concurrency_key, concurrency_limit, kind, priority, vt FROM operations INDEXED BY ix_operations_tenant_prioritized
        WHERE tenant = $tenant AND priority <> 0 AND {ReadyFilter}
        ORDER BY priority DESC, seq
        LIMIT $limit
        """;

    // More of a tenant's priority-0 ready work, after a position of the fair walk.
    private const string TenantDefaultAfter = $"""
        SELECT seq, concurrency_key, concurrency_limit, kind, priority, vt FROM operations INDEXED BY ix_operations_fair
        WHERE {ReadyFilter} AND tenant = $tenant AND priority = 0 AND (vt, seq) > ($vt, $seq)
        ORDER BY vt, seq
        LIMIT $limit
        """;

    /// <summary>
    /// The tenant's ready operations in (priority DESC, age) order, as far as a claim may look (<paramref name="limit"/>):
    /// its higher-priority ones, its priority-0 ones (those the walk took, then further ones when the walk also took
    /// lower-priority ones of the tenant), its lower-priority ones.
    /// </summary>
    private static IEnumerable<ReadyRow> TenantByPriority(WriteScope scope, string tenant, List<ReadyRow> walked, long now, string kinds, int limit)
    {
        var prioritized = new List<ReadyRow>();
        using (var reader = scope.Command(TenantPrioritized).P("$tenant", tenant).P("$now", now).P("$kinds", kinds).P("$limit", limit).ExecuteReader())
        {
            while (reader.Read()) prioritized.Add(ReadyRow.Read(reader, 0, 1, 3, 4, 5));
        }
        foreach (var row in prioritized)
        {
            if (row.Priority > 0) yield return row;
        }
        foreach (var row in walked)
        {
            if (row.Priority == 0) yield return row;
        }
        if (walked.Exists(r => r.Priority < 0))
        {
            // The walk spent some of the tenant's turns on lower-priority work: its further priority-0 work comes first.
            var last = walked[^1];
            var more = new List<ReadyRow>();
            using (var reader = scope.Command(TenantDefaultAfter).P("$tenant", tenant).P("$now", now).P("$kinds", kinds)
                .P("$vt", last.Vt).P("$seq", last.Seq).P("$limit", limit).ExecuteReader())
            {
                while (reader.Read()) more.Add(ReadyRow.Read(reader, 0, 1, 3, 4, 5));
            }
            foreach (var row in more) yield return row;
        }
        foreach (var row in prioritized)
        {
            if (row.Priority < 0) yield return row;
        }
    }

    /// <summary>A ready operation as a claim weighs it.</summary>
    private readonly record struct ReadyRow(long Seq, string? Key, int? Limit, string Kind, long Priority, double Vt)
    {
        /// <summary>Reads the row: seq, concurrency key (its limit in the next column), kind, priority and virtual start at the given columns.</summary>
        public static ReadyRow Read(SqliteDataReader reader, int seq, int key, int kind, int priority, int vt) => new(
            reader.GetInt64(seq), reader.IsDBNull(key) ? null : reader.GetString(key), reader.IsDBNull(key + 1) ? null : reader.GetInt32(key + 1),
            reader.GetString(kind), reader.GetInt64(priority), reader.GetDouble(vt));
    }
}
