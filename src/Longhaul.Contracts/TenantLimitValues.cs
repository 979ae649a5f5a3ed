namespace Longhaul.Contracts;

/// <summary>
/// A tenant's limits on the wire (<c>GET/PUT /v1/tenants/{tenant}/limits</c>, <c>GET /v1/usage</c>): as overrides
/// (null: the configured default applies) or as the limits in force (null: unlimited).
/// </summary>
public sealed record TenantLimitValues
{
    /// <summary>Share of worker slots when tenants with ready work take turns (1 or more).</summary>
    public int? Weight { get; init; }
    /// <summary>Most operations running at once, across nodes.</summary>
    public int? MaxRunning { get; init; }
    /// <summary>Most operations waiting to run; a start past it answers 429 <c>tenant_pending_limit</c>.</summary>
    public int? MaxPending { get; init; }
    /// <summary>Sustained starts per second per API key (token bucket refill); past it 429 <c>rate_limited</c>.</summary>
    public double? CreateRatePerSecond { get; init; }
    /// <summary>Starts at once above the rate (token bucket size).</summary>
    public int? CreateBurst { get; init; }
    /// <summary>Event streams and long-polls held at once per node; past it 429 <c>connection_limit</c>.</summary>
    public int? MaxConnections { get; init; }
    /// <summary>Events one operation may write; a write past it fails the operation with <c>event_limit_exceeded</c>.</summary>
    public int? MaxEventsPerOperation { get; init; }
    /// <summary>Bytes kept stored (operation files, uploads); a write past it answers 413 <c>storage_limit_exceeded</c>.</summary>
    public long? MaxStoredBytes { get; init; }
}
