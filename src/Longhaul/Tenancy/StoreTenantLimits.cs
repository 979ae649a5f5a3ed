using System.Collections.Concurrent;
using Longhaul.Storage;
using Microsoft.Extensions.Options;

namespace Longhaul.Tenancy;

/// <summary>
/// <see cref="ITenantLimits"/> over the store's <c>tenant_limits</c> table, with a per-node cache whose entries are
/// re-read at most every <see cref="RefreshInterval"/>.
/// </summary>
internal sealed class StoreTenantLimits : ITenantLimits
{
    /// <summary>How long a cached entry is used before the store is read again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private const int MaxCachedTenants = 10_000;

    private readonly IOperationStore _store;
    private readonly TenantLimitsOptions _defaults;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (TenantLimits Limits, long ReadAt)> _cache = new(StringComparer.Ordinal);

    public StoreTenantLimits(IOperationStore store, IOptions<TenantLimitsOptions> defaults, TimeProvider time)
    {
        _store = store;
        _defaults = defaults.Value;
        _time = time;
    }

    public async ValueTask<TenantLimits> GetAsync(string tenant, CancellationToken ct)
    {
        var now = _time.GetTimestamp();
        if (_cache.TryGetValue(tenant, out var entry) && _time.GetElapsedTime(entry.ReadAt, now) < RefreshInterval) return entry.Limits;
        var overrides = await _store.GetTenantLimitsAsync(tenant, ct).ConfigureAwait(false);
        var limits = TenantLimits.Resolve(tenant, overrides, _defaults);
        if (_cache.Count >= MaxCachedTenants) _cache.Clear();
        _cache[tenant] = (limits, now);
        return limits;
    }

    public async Task SetAsync(string tenant, TenantLimitOverrides overrides, CancellationToken ct)
    {
        await _store.SetTenantLimitsAsync(tenant, overrides, ct).ConfigureAwait(false);
        _cache.TryRemove(tenant, out _);
    }

    public Task<IReadOnlyList<KeyValuePair<string, TenantLimitOverrides>>> ListAsync(CancellationToken ct) => _store.ListTenantLimitsAsync(ct);
}
