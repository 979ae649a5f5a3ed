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

    /// <summary>The claim statement alone (after <see cref="ClaimSettings"/> in one command); internal for the plan test.</summary>
    internal const string ClaimStatement = $"""
        WITH ready AS (
            SELECT seq FROM operations
            WHERE status = 0 AND run_after <= {Now} AND kind = ANY(@kinds) AND (@tenant::text IS NULL OR tenant = @tenant)
            ORDER BY priority DESC, seq
            LIMIT @max
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE operations o
            SET status = 1, attempt = o.attempt + 1, lease_epoch = o.lease_epoch + 1, lease_owner = @owner,
                lease_expires_at = {Now} + @lease, started_at = COALESCE(o.started_at, {Now}), updated_at = {Now},
                last_event_seq = o.last_event_seq + 1
            WHERE o.seq = ANY(ARRAY(SELECT seq FROM ready))
            RETURNING o.*
        ), events AS (
            INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
            SELECT seq, last_event_seq, '{EventTypes.Status}', (@pre || attempt || @suf)::json, {Now} FROM claimed
        )
        SELECT {Columns} FROM claimed
        """;

    private const string Claim = ClaimSettings + "\n" + ClaimStatement;

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
        var claimed = new List<(long Seq, Operation Op)>();
        await using (var command = scope.Command(Claim)
            .P("owner", p.Owner, NpgsqlDbType.Text).P("lease", p.LeaseDuration, NpgsqlDbType.Interval)
            .P("pre", RunningTemplate.Prefix, NpgsqlDbType.Text).P("suf", RunningTemplate.Suffix, NpgsqlDbType.Text)
            .P("kinds", p.Kinds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text).P("max", p.Max, NpgsqlDbType.Integer)
            .P("tenant", p.Tenant, NpgsqlDbType.Text))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) claimed.Add((reader.GetInt64(0), ReadOperation(reader)));
        }
        // The order the ready index gave them: highest priority first, then oldest.
        claimed.Sort(static (a, b) => a.Op.Priority != b.Op.Priority ? b.Op.Priority.CompareTo(a.Op.Priority) : a.Seq.CompareTo(b.Seq));
        foreach (var (_, op) in claimed) scope.Notify(StoreNotificationKind.OperationChanged, op.Id);
        return claimed;
    }, cancellationToken);
}
