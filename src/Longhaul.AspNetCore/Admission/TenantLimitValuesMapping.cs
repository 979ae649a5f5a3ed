using Longhaul.Contracts;
using Longhaul.Tenancy;

namespace Longhaul.AspNetCore.Admission;

/// <summary>The core's limit records as their wire form (the API's and <c>longhaul tenants</c>'s).</summary>
public static class TenantLimitValuesMapping
{
    /// <summary>Overrides as on the wire (null: the default applies).</summary>
    public static TenantLimitValues ToWire(this TenantLimitOverrides o) => o is null ? throw new ArgumentNullException(nameof(o)) : new()
    {
        Weight = o.Weight,
        MaxRunning = o.MaxRunning,
        MaxPending = o.MaxPending,
        CreateRatePerSecond = o.CreateRatePerSecond,
        CreateBurst = o.CreateBurst,
        MaxConnections = o.MaxConnections,
        MaxEventsPerOperation = o.MaxEventsPerOperation,
        MaxStoredBytes = o.MaxStoredBytes,
    };

    /// <summary>The limits in force as on the wire (null: unlimited).</summary>
    public static TenantLimitValues ToWire(this TenantLimits l) => l is null ? throw new ArgumentNullException(nameof(l)) : new()
    {
        Weight = l.Weight,
        MaxRunning = l.MaxRunning,
        MaxPending = l.MaxPending,
        CreateRatePerSecond = l.CreateRatePerSecond,
        CreateBurst = l.CreateBurst,
        MaxConnections = l.MaxConnections,
        MaxEventsPerOperation = l.MaxEventsPerOperation,
        MaxStoredBytes = l.MaxStoredBytes,
    };

    /// <summary>The configured defaults as on the wire (null: unlimited): the limits in force for a tenant without overrides.</summary>
    public static TenantLimitValues ToWire(this TenantLimitsOptions d)
        => d is null ? throw new ArgumentNullException(nameof(d)) : TenantLimits.Resolve(string.Empty, null, d).ToWire();
}
