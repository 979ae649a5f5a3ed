using Longhaul.Contracts;
using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    /// <summary>
    /// Serializes the starts of one tenant that has a pending limit (the count and the insert must not interleave across
    /// nodes, or two nodes would each see room for one more); tenants without a limit never take it.
    /// </summary>
    private const string LockTenantPending = "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || chr(31) || 'pending' || chr(31) || @tenant, 0))";

    /// <summary>Counts no further than the limit: the cost of a start stays bounded by the limit, not by the backlog.</summary>
    private const string CountPendingOfTenant = "SELECT count(*) FROM (SELECT 1 FROM operations WHERE tenant = @tenant AND status = 0 LIMIT @max) p";

    /// <summary>
    /// The completion (<see cref="Complete"/>: final events, webhook delivery, unfinished chunks dropped) of an operation
    /// whose fenced event write was refused because its log is full: it matches only while the lease holds and the log
    /// has no room for <c>@events</c> more, so a write refused for a lost lease changes nothing here.
    /// </summary>
    private static readonly string FailEventLimit = ReplaceOnce(Complete,
        $"WHERE id = @id AND lease_epoch = @epoch AND {IsRunning}\n",
        $"WHERE id = @id AND lease_epoch = @epoch AND {IsRunning} AND max_events IS NOT NULL AND last_event_seq + @events > max_events\n");

    private static async Task<long> CountPendingAsync(PostgresWriteScope scope, string tenant, int max, CancellationToken cancellationToken)
    {
        await ExecuteAsync(scope.Command(LockTenantPending).P("tenant", tenant, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(CountPendingOfTenant).P("tenant", tenant, NpgsqlDbType.Text).P("max", max, NpgsqlDbType.Integer);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// The fenced event write's answer; when it was refused, first fails the operation if the reason is its event limit
    /// (one more statement, only on that rare path): <see cref="EventWriteResult.EndedByEventLimit"/> when that statement
    /// ended it, else refused. Never written: the write did not happen.
    /// </summary>
    private async Task<EventWriteResult> FailOverEventLimitAfterAsync(Task<bool> write, LeaseRef lease, int events, CancellationToken cancellationToken)
    {
        if (await write.ConfigureAwait(false)) return EventWriteResult.Written;
        var (pre, suf) = StatusTemplate(OperationStatus.Failed, OperationErrors.EventLimitExceeded);
        var failed = await WriteAloneAsync(new PostgresFencedWrite(FailEventLimit, FailEventLimit, lease.Id, true,
        [
            new("status", (int)OperationStatus.Failed, NpgsqlDbType.Integer),
            new("result", null, NpgsqlDbType.Json),
            new("error", ToJson(OperationErrors.EventLimitExceeded), NpgsqlDbType.Json),
            new("pre", pre, NpgsqlDbType.Text),
            new("suf", suf, NpgsqlDbType.Text),
            new("id", lease.Id, NpgsqlDbType.Text),
            new("epoch", lease.Epoch, NpgsqlDbType.Bigint),
            new("events", (long)events, NpgsqlDbType.Bigint),
        ]), cancellationToken).ConfigureAwait(false);
        if (failed)
        {
            _claimedSeqs.TryRemove(lease.Id, out _);
            _chunkWriters.TryRemove(lease.Id, out _);
        }
        return failed ? EventWriteResult.EndedByEventLimit : EventWriteResult.Refused;
    }

    private static async Task<EventWriteResult> AsEventWrite(Task<bool> write)
        => await write.ConfigureAwait(false) ? EventWriteResult.Written : EventWriteResult.Refused;

    private static string ReplaceOnce(string sql, string from, string to)
    {
        var at = sql.IndexOf(from, StringComparison.Ordinal);
        if (at < 0 || sql.IndexOf(from, at + 1, StringComparison.Ordinal) >= 0) throw new InvalidOperationException("The completion statement changed: update FailEventLimit.");
        return string.Concat(sql.AsSpan(0, at), to, sql.AsSpan(at + from.Length));
    }
}
