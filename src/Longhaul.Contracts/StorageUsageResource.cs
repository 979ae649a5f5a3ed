namespace Longhaul.Contracts;

/// <summary>Body of <c>GET /v1/usage</c>: what the tenant keeps stored and runs, each against its limit.</summary>
public sealed record StorageUsageResource
{
    /// <summary>The tenant the API key belongs to (or the one an operator asked for).</summary>
    public required string Tenant { get; init; }

    /// <summary>Finished, non-empty operation files (export files, large result bodies).</summary>
    public required long Files { get; init; }

    /// <summary>Their bytes in all.</summary>
    public required long FileBytes { get; init; }

    /// <summary>Uploads still stored (unfinished or kept for imports).</summary>
    public long Uploads { get; init; }

    /// <summary>The bytes stored for them (their offsets).</summary>
    public long UploadBytes { get; init; }

    /// <summary><see cref="FileBytes"/> plus <see cref="UploadBytes"/>: the figure <c>max_stored_bytes</c> limits.</summary>
    public long StoredBytes { get; init; }

    /// <summary>The tenant's running operations (all nodes).</summary>
    public long Running { get; init; }

    /// <summary>The tenant's pending operations (all nodes): the figure <c>max_pending</c> limits.</summary>
    public long Pending { get; init; }

    /// <summary>Starts per second over the last minute, as this node admitted them.</summary>
    public double CreateRatePerSecond { get; init; }

    /// <summary>Event streams and long-polls the tenant holds on this node.</summary>
    public int Connections { get; init; }

    /// <summary>The limits in force (null: unlimited).</summary>
    public TenantLimitValues? Limits { get; init; }
}
