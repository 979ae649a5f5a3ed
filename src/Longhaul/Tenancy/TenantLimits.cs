namespace Longhaul.Tenancy;

/// <summary>The limits in force for one tenant: its override where set, else the configured default. Null means unlimited.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Weight">Its share of worker slots when tenants with ready work take turns.</param>
/// <param name="MaxRunning">At most this many of its operations run at once.</param>
/// <param name="MaxPending">At most this many of its operations wait to run.</param>
/// <param name="CreateRatePerSecond">Sustained creates per second.</param>
/// <param name="CreateBurst">Creates allowed at once above the rate.</param>
/// <param name="MaxConnections">Concurrent streaming / long-poll connections.</param>
/// <param name="MaxEventsPerOperation">Events one operation may write.</param>
/// <param name="MaxStoredBytes">Bytes it may keep stored.</param>
public sealed record TenantLimits(
    string Tenant,
    int Weight,
    int? MaxRunning,
    int? MaxPending,
    double? CreateRatePerSecond,
    int? CreateBurst,
    int? MaxConnections,
    int? MaxEventsPerOperation,
    long? MaxStoredBytes)
{
    /// <summary>The effective limits of <paramref name="tenant"/>: each field of <paramref name="overrides"/> where set, else the default.</summary>
    public static TenantLimits Resolve(string tenant, TenantLimitOverrides? overrides, TenantLimitsOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var o = overrides ?? new TenantLimitOverrides();
        return new TenantLimits(tenant, o.Weight ?? defaults.Weight, o.MaxRunning ?? defaults.MaxRunning, o.MaxPending ?? defaults.MaxPending,
            o.CreateRatePerSecond ?? defaults.CreateRatePerSecond, o.CreateBurst ?? defaults.CreateBurst, o.MaxConnections ?? defaults.MaxConnections,
            o.MaxEventsPerOperation ?? defaults.MaxEventsPerOperation, o.MaxStoredBytes ?? defaults.MaxStoredBytes);
    }
}
