using Longhaul.Contracts;
using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // `SET LOCAL enable_sort = off` first, in the same round trip: the ready rows must come from a walk of the ready
    // index in its own order (priority DESC, seq), which reads about as many entries as it claims. With statistics from
    // before a burst (a new or mostly finished table), PostgreSQL otherwise estimates one ready row and picks a bitmap
    // scan of every ready row plus a sort, on every claim: with a 20,000-operation backlog each claim read and sorted
    // 20,000 rows (docs/benchmarks.md). No sort is left in the plan (the claimed rows are put in order by the caller),
    // and `jit = off` because a sort forced back in would carry the disabled-sort penalty cost, far above
    // jit_above_cost: every claim would be JIT-compiled (~370 ms).
    // `plan_cache_mode = force_generic_plan`: the claim is planned once per connection. PostgreSQL's own choice was a
    // new plan for every claim (about 0.2 ms, and a file-size system call per table and index), because the generic
    // plan's guess for `LIMIT @max` (a tenth of the table) made it look dearer than each custom plan. The rows to change
    // are taken by `seq = ANY(ARRAY(…))`, which the generic plan does as one primary-key lookup per claimed row whatever
    // it guesses (a join there became a hash join over a scan of the whole table).
    internal const string ClaimSettings = "SET LOCAL enable_sort = off; SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_generic_plan;";

    /// <summary>
    /// Runs before the claim, in the same round trip: while any running limit or concurrency key is in play, claims take
    /// turns on one lock (per schema) so each counts the running operations the claim before it committed; otherwise no
    /// lock is taken and claims on different nodes run side by side (ADR 0025).
    /// </summary>
    internal const string ClaimLimitedLock = """
        SELECT pg_advisory_xact_lock(hashtextextended('longhaul.claim.limited.' || current_schema(), 0))
        WHERE @dmr::integer IS NOT NULL OR cardinality(@cap_kinds::text[]) > 0 OR EXISTS (SELECT 1 FROM tenant_limits WHERE max_running IS NOT NULL)
           OR EXISTS (SELECT 1 FROM operations WHERE concurrency_key IS NOT NULL AND status = 0)
        """;

    /// <summary>
    /// The time a claim records (start, lease, its event), read once: the clock when the claim runs, not <c>now()</c>, which is
    /// the transaction's start, before the wait for <see cref="ClaimLimitedLock"/>. With <c>now()</c> an operation of a
    /// concurrency key could show a start before the end of the one it waited for (the claim saw that end committed).
    /// </summary>
    private const string ClaimedAt = "(SELECT at FROM claim_clock)";

    private const string ReadyFilter = $"""
        status = 0 AND run_after <= {Now} AND (start_by IS NULL OR start_by > {Now} OR attempt > 0) AND kind = ANY(@kinds)
        AND (concurrency_key IS NULL OR (SELECT count(*) FROM operations k
             WHERE k.concurrency_key = operations.concurrency_key AND k.status = 1 AND k.tenant = operations.tenant) < COALESCE(concurrency_limit, 1))
        """;

    /// <summary>
    /// The claim statement alone (after <see cref="ClaimSettings"/> in one command); internal for the plan test. Tenants
    /// take turns (ADR 0025): the ready operations in virtual-start order (<c>vt</c>) decide how many each tenant gets,
    /// then each tenant's share is its highest-priority ready operations. Tenants at their running limit are skipped;
    /// an operation whose concurrency key is at its limit is skipped, and a claim takes no more of one key than its room.
    /// </summary>
    internal const string ClaimStatement = $"""
        WITH claim_clock AS MATERIALIZED (
            SELECT COALESCE(@clock, clock_timestamp()) AS at
        ), limits AS MATERIALIZED (
            SELECT tenant, max_running FROM tenant_limits WHERE max_running IS NOT NULL
        ), room AS MATERIALIZED (
            SELECT COALESCE(r.tenant, l.tenant) AS tenant, COALESCE(l.max_running, @dmr) - COALESCE(r.n, 0) AS room_left
            FROM (SELECT tenant, count(*) AS n FROM operations
                  WHERE status = 1 AND (@dmr::integer IS NOT NULL OR tenant IN (SELECT tenant FROM limits)) GROUP BY tenant) r
            FULL JOIN limits l ON l.tenant = r.tenant
        ), kind_room AS MATERIALIZED (
            SELECT c.kind, c.cap - (SELECT count(*) FROM operations r WHERE r.status = 1 AND r.kind = c.kind) AS room_left
            FROM unnest(@cap_kinds::text[], @cap_limits::integer[]) AS c(kind, cap)
        ), slots AS (
            SELECT seq, tenant FROM operations
            WHERE {ReadyFilter} AND (@tenant::text IS NULL OR tenant = @tenant)
              AND tenant <> ALL(ARRAY(SELECT tenant FROM room WHERE room_left <= 0))
              AND kind <> ALL(ARRAY(SELECT kind FROM kind_room WHERE room_left <= 0))
            ORDER BY vt, seq
            LIMIT @max
            FOR UPDATE SKIP LOCKED
        ), quota AS (
            SELECT s.tenant, LEAST(count(*), COALESCE((SELECT room_left FROM room WHERE room.tenant = s.tenant), @dmr)) AS n
            FROM slots s GROUP BY s.tenant
        ), picked AS (
            SELECT c.seq, c.tenant, c.kind, c.priority, c.concurrency_key, c.concurrency_limit
            FROM quota q CROSS JOIN LATERAL (
                SELECT seq, tenant, kind, priority, concurrency_key, concurrency_limit FROM operations
                WHERE operations.tenant = q.tenant AND {ReadyFilter}
                ORDER BY priority DESC, seq
                LIMIT q.n
                FOR UPDATE SKIP LOCKED
            ) c
        ), ready AS (
            -- A key's rank among this claim's picks (no window: it would sort), plus the ones of that key running.
            SELECT p.seq FROM picked p
            WHERE p.concurrency_key IS NULL
               OR (SELECT count(*) FROM picked b WHERE b.tenant = p.tenant AND b.concurrency_key = p.concurrency_key
                      AND (b.priority > p.priority OR (b.priority = p.priority AND b.seq <= p.seq)))
                + (SELECT count(*) FROM operations k WHERE k.concurrency_key = p.concurrency_key AND k.status = 1 AND k.tenant = p.tenant)
                  <= COALESCE(p.concurrency_limit, 1)
        ), capped AS (
            -- A capped kind's rank among this claim's picks within its room.
            SELECT r.seq FROM ready r JOIN picked p ON p.seq = r.seq
            WHERE NOT EXISTS (SELECT 1 FROM kind_room k WHERE k.kind = p.kind)
               OR (SELECT count(*) FROM picked b WHERE b.kind = p.kind AND (b.priority > p.priority OR (b.priority = p.priority AND b.seq <= p.seq)))
                  <= (SELECT k.room_left FROM kind_room k WHERE k.kind = p.kind)
        ), claimed AS (
            UPDATE operations o
            SET status = 1, attempt = o.attempt + 1, lease_epoch = o.lease_epoch + 1, lease_owner = @owner,
                lease_expires_at = {ClaimedAt} + @lease, started_at = COALESCE(o.started_at, {ClaimedAt}), updated_at = {ClaimedAt},
                last_event_seq = o.last_event_seq + 1
            WHERE o.seq = ANY(ARRAY(SELECT seq FROM capped))
            RETURNING o.*
        ), events AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq, '{EventTypes.Status}', (@pre || attempt || @suf)::json, {ClaimedAt} FROM claimed
        )
        SELECT {Columns}, vt FROM claimed
        """;

    private const string Claim = ClaimSettings + "\n" + ClaimLimitedLock + ";\n" + ClaimStatement;

    private static readonly (string Prefix, string Suffix) RunningTemplate = StatusTemplate(OperationStatus.Running, null);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Operation>> ClaimAsync(ClaimParams p, CancellationToken cancellationToken)
    {
        var claimed = await ClaimInTransactionAsync(p, cancellationToken).ConfigureAwait(false);
        if (_claimedSeqs.Count > MaxClaimedSeqs) _claimedSeqs.Clear();
        foreach (var (seq, op) in claimed) _claimedSeqs[op.Id] = seq;
        return claimed.ConvertAll(c => c.Op);
    }

    private Task<List<(long Seq, Operation Op)>> ClaimInTransactionAsync(ClaimParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var claimed = new List<(long Seq, double Vt, Operation Op)>();
        await using (var command = scope.Command(Claim)
            .P("owner", p.Owner, NpgsqlDbType.Text).P("lease", p.LeaseDuration, NpgsqlDbType.Interval)
            .P("pre", RunningTemplate.Prefix, NpgsqlDbType.Text).P("suf", RunningTemplate.Suffix, NpgsqlDbType.Text)
            .P("kinds", p.Kinds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text).P("max", p.Max, NpgsqlDbType.Integer)
            .P("tenant", p.Tenant, NpgsqlDbType.Text).P("dmr", p.DefaultMaxRunning, NpgsqlDbType.Integer)
            .P("cap_kinds", p.KindCaps?.Keys.ToArray() ?? [], NpgsqlDbType.Array | NpgsqlDbType.Text)
            .P("cap_limits", p.KindCaps?.Values.ToArray() ?? [], NpgsqlDbType.Array | NpgsqlDbType.Integer))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            // The lock statement's result (a row or none) comes first.
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) { }
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) claimed.Add((reader.GetInt64(0), reader.GetDouble(32), ReadOperation(reader)));
        }
        // Turns first (virtual start), then priority, then age.
        claimed.Sort(static (a, b) => a.Vt != b.Vt ? a.Vt.CompareTo(b.Vt) : a.Op.Priority != b.Op.Priority ? b.Op.Priority.CompareTo(a.Op.Priority) : a.Seq.CompareTo(b.Seq));
        foreach (var (_, _, op) in claimed) scope.Notify(StoreNotificationKind.OperationChanged, op.Id);
        return claimed.ConvertAll(c => (c.Seq, c.Op));
    }, cancellationToken);
}
