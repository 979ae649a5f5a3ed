using System.Collections.Concurrent;
using Longhaul.Storage;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// The remote workers this node has heard from (claims and heartbeats), for <c>GET /v1/workers</c>: in memory, per
/// node. A worker unheard of for a lease duration shows as gone (its leases expire then too); one unheard of for ten
/// lease durations is forgotten.
/// </summary>
internal sealed class WorkerDirectory(TimeProvider time, IOptions<LonghaulEngineOptions> engine)
{
    private const int MaxWorkers = 10_000;
    private readonly ConcurrentDictionary<string, WorkerEntry> _workers = new(StringComparer.Ordinal);

    public void Claimed(string worker, LonghaulCaller? caller, IReadOnlyList<string> kinds, IEnumerable<string> claimed)
    {
        var entry = Entry(worker, caller);
        lock (entry)
        {
            entry.Kinds = kinds;
            entry.LastClaimAt = entry.LastSeenAt = time.GetUtcNow();
            entry.Running.UnionWith(claimed);
        }
    }

    public void Heartbeat(string worker, LonghaulCaller? caller, IEnumerable<string> held)
    {
        var entry = Entry(worker, caller);
        lock (entry)
        {
            entry.LastSeenAt = time.GetUtcNow();
            entry.Running.Clear();
            entry.Running.UnionWith(held);
        }
    }

    public void Finished(string operationId)
    {
        foreach (var entry in _workers.Values)
        {
            lock (entry) entry.Running.Remove(operationId);
        }
    }

    /// <summary>The workers whose key acts for <paramref name="tenant"/> or for every tenant, most recently seen first.</summary>
    public IReadOnlyList<WorkerSnapshot> List(string tenant)
    {
        var now = time.GetUtcNow();
        var lease = engine.Value.LeaseDuration;
        var list = new List<WorkerSnapshot>();
        foreach (var (name, entry) in _workers)
        {
            lock (entry)
            {
                if (now - entry.LastSeenAt > lease * 10)
                {
                    _workers.TryRemove(name, out _);
                    continue;
                }
                if (entry.Tenant != tenant && entry.Tenant != ApiKeyRecord.AllTenants) continue;
                var gone = now - entry.LastSeenAt > lease;
                list.Add(new WorkerSnapshot(name, entry.Tenant, entry.KeyId, entry.Kinds, entry.LastClaimAt, entry.LastSeenAt, gone ? 0 : entry.Running.Count, gone));
            }
        }
        return [.. list.OrderByDescending(w => w.LastSeenAt)];
    }

    private WorkerEntry Entry(string worker, LonghaulCaller? caller)
    {
        if (_workers.Count > MaxWorkers) _workers.Clear();
        var entry = _workers.GetOrAdd(worker, _ => new WorkerEntry());
        lock (entry)
        {
            entry.Tenant = caller?.Tenant ?? TenantResolver.DevelopmentTenant;
            entry.KeyId = caller?.KeyId;
        }
        return entry;
    }

    private sealed class WorkerEntry
    {
        public string Tenant { get; set; } = "";
        public string? KeyId { get; set; }
        public IReadOnlyList<string> Kinds { get; set; } = [];
        public DateTimeOffset? LastClaimAt { get; set; }
        public DateTimeOffset LastSeenAt { get; set; }
        public HashSet<string> Running { get; } = new(StringComparer.Ordinal);
    }
}
