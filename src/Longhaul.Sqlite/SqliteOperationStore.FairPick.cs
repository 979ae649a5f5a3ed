using System.Text.Json;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

/// <summary>
/// Which ready operations a claim takes (ADR 0025). The one writer makes every claim see the ones before it, so the
/// running limits (per tenant, per concurrency key) are exact.
/// </summary>
public sealed partial class SqliteOperationStore
{
    private const string ReadyFilter = """
        status = 0 AND run_after <= $now AND (start_by IS NULL OR start_by > $now OR attempt > 0) AND kind IN (SELECT value FROM json_each($kinds))
        """;

    // Turns: the ready operations in virtual-start order decide how many each tenant gets.
    private const string FairWalk = $"""
        SELECT tenant, concurrency_key, concurrency_limit, kind, seq, priority, vt FROM operations INDEXED BY ix_operations_fair
        WHERE {ReadyFilter} AND ($tenant IS NULL OR tenant = $tenant)
          AND tenant NOT IN (SELECT value FROM json_each($blocked))
        ORDER BY vt, seq
        """;

    private const string RunningPerTenant = "SELECT tenant, count(*) FROM operations INDEXED BY ix_operations_leases WHERE status = 1 GROUP BY tenant";

    private const string RunningPerKey = """
        SELECT tenant, concurrency_key, count(*) FROM operations INDEXED BY ix_operations_concurrency
        WHERE concurrency_key IS NOT NULL AND status < 2 AND status = 1 GROUP BY tenant, concurrency_key
        """;

    // Whether every ready operation has the same priority (the two ends of the ready index): then the walk's own
    // picks are each tenant's next ones and the per-tenant pass is skipped.
    private const string OnePriority = """
        SELECT (SELECT priority FROM operations INDEXED BY ix_operations_ready WHERE status = 0 ORDER BY priority DESC, seq LIMIT 1)
             = (SELECT priority FROM operations INDEXED BY ix_operations_ready WHERE status = 0 ORDER BY priority, seq DESC LIMIT 1)
        """;

    private const string RunningPerKind = "SELECT kind, count(*) FROM operations INDEXED BY ix_operations_leases WHERE status = 1 GROUP BY kind";

    private const string TenantRunningLimits = "SELECT tenant, max_running FROM tenant_limits WHERE max_running IS NOT NULL";

    private List<long> PickFairly(WriteScope scope, ClaimParams p, string kinds, long now)
    {
        var room = TenantRoom(scope, p);
        var kindRoom = KindRoom(scope, p);
        if (kindRoom is not null)
        {
            // Kinds at their global cap are not walked at all.
            var open = p.Kinds.Where(k => !kindRoom.TryGetValue(k, out var left) || left > 0).ToArray();
            if (open.Length == 0) return [];
            kinds = JsonSerializer.Serialize(open);
        }
        var blocked = room is null ? "[]" : JsonSerializer.Serialize(room.Where(r => r.Value <= 0).Select(r => r.Key));

        // How many each tenant gets: the first Max of the walk, skipping a tenant once its room is used and an operation
        // whose concurrency key is at its limit.
        var keyRunning = KeyRunning(scope);
        var keyTaken = new Dictionary<(string, string), int>();
        var kindTaken = new Dictionary<string, int>(StringComparer.Ordinal);
        var kindShare = new Dictionary<(string, string), int>();
        var quota = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        var walked = new List<long>(p.Max);
        var walkedOf = new Dictionary<string, List<ReadyRow>>(StringComparer.Ordinal);
        int taken = 0, read = 0, readLimit = p.Max * 4 + 64;
        using (var walk = scope.Command(FairWalk).P("$now", now).P("$kinds", kinds).P("$tenant", p.Tenant).P("$blocked", blocked).ExecuteReader())
        {
            while (taken < p.Max && read++ < readLimit && walk.Read())
            {
                var tenant = walk.GetString(0);
                var row = ReadyRow.Read(walk, 4, 1, 3, 5, 6);
                quota.TryGetValue(tenant, out var n);
                // A tenant missing from the room map has nothing running: its whole limit (its override, else the default).
                var left = room is null ? null : room.TryGetValue(tenant, out var r) ? r : p.DefaultMaxRunning;
                if (n >= left || !KindFits(row.Kind, kindRoom, kindTaken) || !KeyFits(row, tenant, keyRunning, keyTaken)) continue;
                if (n == 0)
                {
                    order.Add(tenant);
                    walkedOf[tenant] = [];
                }
                quota[tenant] = n + 1;
                walked.Add(row.Seq);
                walkedOf[tenant].Add(row);
                if (kindRoom is not null && kindRoom.ContainsKey(row.Kind))
                {
                    // A capped kind's room is shared out by the walk: each tenant takes no more of it below.
                    var share = (tenant, row.Kind);
                    kindShare[share] = kindShare.GetValueOrDefault(share) + 1;
                }
                taken++;
            }
        }
        if (taken == 0) return [];
        if (scope.Command(OnePriority).ExecuteScalar() is long same && same == 1) return walked;

        // Which ones: each tenant's highest priority first, within the concurrency keys' limits.
        keyTaken.Clear();
        var picked = new List<long>(taken);
        foreach (var tenant in order)
        {
            var want = quota[tenant];
            int got = 0, scanned = 0, scanLimit = want * 4 + 16;
            foreach (var row in TenantByPriority(scope, tenant, walkedOf[tenant], now, kinds, scanLimit))
            {
                if (got >= want || scanned++ >= scanLimit) break;
                if (kindRoom is not null && kindRoom.ContainsKey(row.Kind))
                {
                    var share = (tenant, row.Kind);
                    if (kindShare.GetValueOrDefault(share) <= 0) continue;
                    if (!KeyFits(row, tenant, keyRunning, keyTaken)) continue;
                    kindShare[share]--;
                }
                else if (!KeyFits(row, tenant, keyRunning, keyTaken)) continue;
                picked.Add(row.Seq);
                got++;
            }
        }
        return picked;
    }

    /// <summary>The room left under each limited tenant's running limit; null when no tenant has one.</summary>
    private static Dictionary<string, int>? TenantRoom(WriteScope scope, ClaimParams p)
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var reader = scope.Command(TenantRunningLimits).ExecuteReader())
        {
            while (reader.Read()) limits[reader.GetString(0)] = reader.GetInt32(1);
        }
        if (limits.Count == 0 && p.DefaultMaxRunning is null) return null;
        var room = new Dictionary<string, int>(limits, StringComparer.Ordinal);
        using (var reader = scope.Command(RunningPerTenant).ExecuteReader())
        {
            while (reader.Read())
            {
                var tenant = reader.GetString(0);
                int? limit = limits.TryGetValue(tenant, out var l) ? l : p.DefaultMaxRunning;
                if (limit is { } max) room[tenant] = max - reader.GetInt32(1);
            }
        }
        return room;
    }

    /// <summary>
    /// Whether the row's concurrency key has room under its limit, counting the ones running and the ones taken by this
    /// claim; counts it as taken when it has.
    /// </summary>
    private static bool KeyFits(ReadyRow row, string tenant, Dictionary<(string, string), int> running, Dictionary<(string, string), int> taken)
    {
        if (row.Key is null) return true;
        var key = (tenant, row.Key);
        var limit = row.Limit ?? 1;
        running.TryGetValue(key, out var now);
        taken.TryGetValue(key, out var inBatch);
        if (now + inBatch >= limit) return false;
        taken[key] = inBatch + 1;
        return true;
    }

    /// <summary>The room left under each capped kind's global cap; null when no kind is capped.</summary>
    private static Dictionary<string, int>? KindRoom(WriteScope scope, ClaimParams p)
    {
        if (p.KindCaps is not { Count: > 0 } caps) return null;
        var room = new Dictionary<string, int>(caps, StringComparer.Ordinal);
        using var reader = scope.Command(RunningPerKind).ExecuteReader();
        while (reader.Read())
        {
            if (room.ContainsKey(reader.GetString(0))) room[reader.GetString(0)] -= reader.GetInt32(1);
        }
        return room;
    }

    /// <summary>Whether the kind has room under its cap; counts it as taken when it has.</summary>
    private static bool KindFits(string kind, Dictionary<string, int>? room, Dictionary<string, int> taken)
    {
        if (room is null) return true;
        if (!room.TryGetValue(kind, out var left)) return true;
        taken.TryGetValue(kind, out var inBatch);
        if (inBatch >= left) return false;
        taken[kind] = inBatch + 1;
        return true;
    }

    private static Dictionary<(string, string), int> KeyRunning(WriteScope scope)
    {
        var running = new Dictionary<(string, string), int>();
        using var reader = scope.Command(RunningPerKey).ExecuteReader();
        while (reader.Read()) running[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
        return running;
    }
}
