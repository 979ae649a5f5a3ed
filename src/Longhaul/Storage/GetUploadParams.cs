namespace Longhaul.Storage;

/// <summary>Reads one upload of a tenant; a null <paramref name="Tenant"/> reads across tenants (engine use only).</summary>
/// <param name="Tenant">The tenant, or null.</param>
/// <param name="Id">The upload's id.</param>
public sealed record GetUploadParams(string? Tenant, string Id);
