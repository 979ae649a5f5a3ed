using System.Collections.Concurrent;
using Longhaul.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// Keeps the store's worker registry (<c>GET /v1/workers</c>, ADR 29) current from the claims, long polls and
/// heartbeats this node answers, cheaply: at most one write per worker per <see cref="WriteEvery"/> from this node,
/// plus one whenever its kinds or key change. The registry is read from the store, so every node lists every worker.
/// </summary>
internal sealed partial class WorkerDirectory(IOperationStore store, TimeProvider time, IOptions<LonghaulEngineOptions> engine, ILogger<WorkerDirectory> logger)
{
    /// <summary>The most workers <c>GET /v1/workers</c> lists.</summary>
    public const int MaxListed = 1000;

    /// <summary>How many heartbeat intervals a worker may go unheard of before it shows as gone.</summary>
    public const int GoneAfterIntervals = 3;

    private const int MaxRemembered = 10_000;
    private static readonly TimeSpan MaxWriteEvery = TimeSpan.FromSeconds(5);

    /// <summary>This node, as the registry names it: host and process.</summary>
    public static readonly string Node = $"{Environment.MachineName}/{Environment.ProcessId}";

    private readonly ConcurrentDictionary<(string Tenant, string Name), Written> _written = new();

    /// <summary>
    /// The longest a worker's stored last-seen time lags behind this node hearing from it: the heartbeat interval, at
    /// most 5 seconds, so a worker that heartbeats on time never looks older than two intervals.
    /// </summary>
    public TimeSpan WriteEvery => engine.Value.HeartbeatInterval < MaxWriteEvery ? engine.Value.HeartbeatInterval : MaxWriteEvery;

    /// <summary>A worker unheard of for longer than this (<see cref="GoneAfterIntervals"/> heartbeat intervals) is gone.</summary>
    public TimeSpan GoneAfter => engine.Value.HeartbeatInterval * GoneAfterIntervals;

    /// <summary>
    /// This node heard from <paramref name="worker"/> (a claim, a claim still waiting, a heartbeat): records it in the
    /// store unless this node recorded it, with the same kinds and key, less than <see cref="WriteEvery"/> ago. Never
    /// throws: a failed write is logged and tried again at the next call (the registry is for operators; the protocol
    /// call it rides on must not fail for it).
    /// </summary>
    public async Task SeenAsync(string worker, string tenant, string? keyId, IReadOnlyList<string>? kinds, bool claimed)
    {
        var now = time.GetUtcNow();
        var key = (tenant, worker);
        var written = _written.TryGetValue(key, out var w) ? w : null;
        if (written is not null && now - written.At < WriteEvery && written.KeyId == keyId && (kinds is null || written.Kinds.SequenceEqual(kinds, StringComparer.Ordinal)))
            return;
        if (_written.Count >= MaxRemembered) _written.Clear();
        var next = new Written(now, keyId, kinds ?? written?.Kinds ?? []);
        // Only one of the calls racing past the check writes.
        if (written is null ? !_written.TryAdd(key, next) : !_written.TryUpdate(key, next, written)) return;
        try
        {
            await store.RecordWorkerAsync(new RecordWorkerParams(tenant, worker, keyId, kinds, Node, claimed), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _written.TryRemove(KeyValuePair.Create(key, next));
            LogRecordFailed(ex, worker);
        }
    }

    /// <summary>The workers <paramref name="tenant"/> sees, most recently seen first, with their status.</summary>
    public async Task<IReadOnlyList<(WorkerRecord Worker, string Status)>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var workers = await store.ListWorkersAsync(new ListWorkersParams(tenant, MaxListed), cancellationToken).ConfigureAwait(false);
        return [.. workers.Select(w => (w, Status(w)))];
    }

    /// <summary><c>gone</c> when unheard of for <see cref="GoneAfter"/> (store clock), else <c>active</c> while it holds leases, else <c>idle</c>.</summary>
    public string Status(WorkerRecord worker)
        => worker.AsOf - worker.LastSeenAt > GoneAfter ? "gone" : worker.Leases > 0 ? "active" : "idle";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording remote worker {Worker} in the worker registry failed")]
    private partial void LogRecordFailed(Exception ex, string worker);

    private sealed record Written(DateTimeOffset At, string? KeyId, IReadOnlyList<string> Kinds);
}
