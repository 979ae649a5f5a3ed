using Longhaul.Contracts;
using Longhaul.Tenancy;

namespace Longhaul.AspNetCore.Admission;

/// <summary>The core's limit records as their wire form.</summary>
internal static class TenantLimitValuesMapping
{
    public static TenantLimitValues ToWire(this TenantLimitOverrides o) => new()
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

    public static TenantLimitValues ToWire(this TenantLimits l) => new()
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

    public static TenantLimitValues ToWire(this TenantLimitsOptions d) => new()
    {
        Weight = d.Weight,
        MaxRunning = d.MaxRunning,
        MaxPending = d.MaxPending,
        CreateRatePerSecond = d.CreateRatePerSecond,
        CreateBurst = d.CreateBurst,
        MaxConnections = d.MaxConnections,
        MaxEventsPerOperation = d.MaxEventsPerOperation,
        MaxStoredBytes = d.MaxStoredBytes,
    };
}
