namespace Longhaul.Contracts;

/// <summary>Body of <c>GET /v1/usage</c>: what the caller's tenant keeps stored.</summary>
public sealed record StorageUsageResource
{
    /// <summary>The tenant the API key belongs to.</summary>
    public required string Tenant { get; init; }

    /// <summary>Finished, non-empty operation files (export files, large result bodies).</summary>
    public required long Files { get; init; }

    /// <summary>Their bytes in all.</summary>
    public required long FileBytes { get; init; }
}
