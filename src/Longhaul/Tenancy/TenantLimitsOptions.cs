namespace Longhaul.Tenancy;

/// <summary>
/// Every tenant's limits unless an operator set its own (<see cref="TenantLimitOverrides"/>): configuration section
/// <c>Longhaul:Tenants:Defaults</c>. Null means unlimited.
/// </summary>
public sealed class TenantLimitsOptions
{
    /// <summary>The configuration section these defaults are bound from.</summary>
    public const string SectionName = "Longhaul:Tenants:Defaults";

    /// <summary>A tenant's share of worker slots when tenants with ready work take turns; 1 or more. Defaults to 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>At most this many of a tenant's operations run at once, across every node. Defaults to null: unlimited.</summary>
    public int? MaxRunning { get; set; }

    /// <summary>At most this many of a tenant's operations wait to run. Defaults to null: unlimited.</summary>
    public int? MaxPending { get; set; }

    /// <summary>Sustained creates per second per tenant. Defaults to null: unlimited.</summary>
    public double? CreateRatePerSecond { get; set; }

    /// <summary>Creates allowed at once above the rate. Defaults to null: unlimited.</summary>
    public int? CreateBurst { get; set; }

    /// <summary>Concurrent streaming / long-poll connections per tenant. Defaults to null: unlimited.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>Events one operation may write to its event log. Defaults to null: unlimited.</summary>
    public int? MaxEventsPerOperation { get; set; }

    /// <summary>Bytes a tenant may keep stored (operation files, uploads). Defaults to null: unlimited.</summary>
    public long? MaxStoredBytes { get; set; }

    /// <summary>The problems with these settings, each naming the setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Weight < 1) errors.Add($"{SectionName}:Weight must be 1 or more.");
        if (MaxRunning < 1) errors.Add($"{SectionName}:MaxRunning must be 1 or more.");
        if (MaxPending < 1) errors.Add($"{SectionName}:MaxPending must be 1 or more.");
        if (CreateRatePerSecond is <= 0 or double.NaN) errors.Add($"{SectionName}:CreateRatePerSecond must be above 0.");
        if (CreateBurst < 1) errors.Add($"{SectionName}:CreateBurst must be 1 or more.");
        if (MaxConnections < 1) errors.Add($"{SectionName}:MaxConnections must be 1 or more.");
        if (MaxEventsPerOperation < 1) errors.Add($"{SectionName}:MaxEventsPerOperation must be 1 or more.");
        if (MaxStoredBytes < 0) errors.Add($"{SectionName}:MaxStoredBytes must be 0 or more.");
        return errors;
    }
}
