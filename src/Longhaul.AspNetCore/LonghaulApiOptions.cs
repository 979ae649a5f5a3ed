namespace Longhaul.AspNetCore;

/// <summary>HTTP settings, bound from the <c>Longhaul:Http</c> configuration section.</summary>
public sealed class LonghaulApiOptions
{
    /// <summary>The configuration section these settings bind from.</summary>
    public const string SectionName = "Longhaul:Http";

    /// <summary>Largest accepted body of <c>POST /v1/operations</c>. Defaults to 1 MiB.</summary>
    public int MaxStartBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest accepted JSON nesting in request bodies. Defaults to 32.</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Largest accepted <c>metadata</c>, serialized. Defaults to 16 KiB.</summary>
    public int MaxMetadataBytes { get; set; } = 16 * 1024;

    /// <summary>Cap on <c>wait?timeout=</c> and <c>Prefer: wait</c>, kept below common proxy idle timeouts. Defaults to 30 seconds.</summary>
    public TimeSpan LongPollMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Interval of <c>: keep-alive</c> comments on idle event streams. Defaults to 15 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The <c>retry:</c> hint sent at the start of event streams. Defaults to 2 seconds.</summary>
    public TimeSpan SseRetry { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lower bound of <c>Retry-After</c>. Defaults to 1 second.</summary>
    public TimeSpan RetryAfterMin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of <c>Retry-After</c>. Defaults to 30 seconds.</summary>
    public TimeSpan RetryAfterMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The idle budget of the chain in front of Longhaul (load balancers, proxies): the shortest time a silent
    /// response survives. Long-polls and keep-alives must stay below it. Measure it with <c>longhaul probe</c>. Defaults to 60 seconds.
    /// </summary>
    public TimeSpan ChainIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cap on <c>GET /v1/diagnostics/hold?seconds=</c>. Defaults to 600 seconds.</summary>
    public TimeSpan DiagnosticsHoldMax { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>Largest accepted body of a worker protocol call (a claim, an output batch, a result). Defaults to 1 MiB.</summary>
    public int MaxWorkerBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most output chunks one <c>POST /v1/leases/output</c> may carry. Defaults to 256.</summary>
    public int MaxOutputChunks { get; set; } = 256;

    /// <summary>Most operations one <c>POST /v1/workers/claim</c> may take (<c>max</c>). Defaults to 100.</summary>
    public int MaxClaim { get; set; } = 100;

    /// <summary>Largest <c>page_size</c> of list calls. Defaults to 100.</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>Every invalid setting, one message each naming the setting; empty when all are valid. Checked at start-up.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxStartBodyBytes < 1024) errors.Add("Longhaul:Http:MaxStartBodyBytes must be at least 1024.");
        if (MaxJsonDepth is < 4 or > 256) errors.Add("Longhaul:Http:MaxJsonDepth must be between 4 and 256.");
        if (MaxMetadataBytes < 0) errors.Add("Longhaul:Http:MaxMetadataBytes must not be negative.");
        if (LongPollMax <= TimeSpan.Zero) errors.Add("Longhaul:Http:LongPollMax must be positive.");
        if (KeepAliveInterval <= TimeSpan.Zero) errors.Add("Longhaul:Http:KeepAliveInterval must be positive.");
        if (RetryAfterMin < TimeSpan.FromSeconds(1) || RetryAfterMax < RetryAfterMin)
            errors.Add("Longhaul:Http:RetryAfterMin must be at least 1 second and not above Longhaul:Http:RetryAfterMax.");
        if (ChainIdleTimeout <= TimeSpan.Zero) errors.Add("Longhaul:Http:ChainIdleTimeout must be positive.");
        else
        {
            if (LongPollMax >= ChainIdleTimeout)
                errors.Add($"Longhaul:Http:LongPollMax ({LongPollMax}) must be below Longhaul:Http:ChainIdleTimeout ({ChainIdleTimeout}): a silent long-poll would be cut by the chain in front of Longhaul.");
            if (KeepAliveInterval >= ChainIdleTimeout)
                errors.Add($"Longhaul:Http:KeepAliveInterval ({KeepAliveInterval}) must be below Longhaul:Http:ChainIdleTimeout ({ChainIdleTimeout}): event streams would be cut between keep-alives.");
        }
        if (DiagnosticsHoldMax <= TimeSpan.Zero) errors.Add("Longhaul:Http:DiagnosticsHoldMax must be positive.");
        if (MaxWorkerBodyBytes < 1024) errors.Add("Longhaul:Http:MaxWorkerBodyBytes must be at least 1024.");
        if (MaxOutputChunks is < 1 or > 10_000) errors.Add("Longhaul:Http:MaxOutputChunks must be between 1 and 10000.");
        if (MaxClaim is < 1 or > 1000) errors.Add("Longhaul:Http:MaxClaim must be between 1 and 1000.");
        if (MaxPageSize is < 1 or > 1000) errors.Add("Longhaul:Http:MaxPageSize must be between 1 and 1000.");
        return errors;
    }
}
