using System.Diagnostics.Metrics;

namespace Longhaul.Tenancy;

/// <summary>
/// Refusals by the per-tenant limits (docs/limits.md) on the meter <c>Longhaul.Limits</c>, counted where each limit's
/// check refuses (the shared admission checks, the in-process file check), by <c>limit</c> only: no tenant label, whose
/// cardinality is unbounded (which tenant: <c>GET /v1/usage</c> and the problem documents).
/// </summary>
internal sealed class TenantLimitMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Longhaul.Limits";

    /// <summary><c>max_pending</c>: a start refused 429 <c>tenant_pending_limit</c>.</summary>
    public const string MaxPending = "max_pending";

    /// <summary><c>create_rate_per_second</c> / <c>create_burst</c>: a start refused 429 <c>rate_limited</c>.</summary>
    public const string CreateRate = "create_rate";

    /// <summary><c>max_connections</c>: a stream or long-poll refused 429 <c>connection_limit</c>.</summary>
    public const string MaxConnections = "max_connections";

    /// <summary><c>max_stored_bytes</c>: an upload or file chunk refused (413, or the operation failed) <c>storage_limit_exceeded</c>.</summary>
    public const string MaxStoredBytes = "max_stored_bytes";

    /// <summary>Failed authentication: a request refused 429 <c>auth_rate_limited</c>.</summary>
    public const string AuthFailures = "auth_failures";

    /// <summary><c>max_events_per_operation</c>: an event write that ended its operation <c>event_limit_exceeded</c> (once per operation).</summary>
    public const string MaxEventsPerOperation = "max_events_per_operation";

    private readonly Meter _meter;
    private readonly Counter<long> _refusals;

    /// <summary>Creates the meter through <paramref name="factory"/> when there is one (so it is scoped to the host).</summary>
    public TenantLimitMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _refusals = _meter.CreateCounter<long>("longhaul.limits.refusals", "{refusal}",
            "Requests and writes refused by a per-tenant limit (or the failed-authentication limit), by limit.");
    }

    /// <summary>One refusal by <paramref name="limit"/> (one of this class's constants).</summary>
    public void Refused(string limit) => _refusals.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
