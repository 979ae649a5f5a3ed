namespace Longhaul.Storage;

/// <summary>Deletes one upload of a tenant with its chunks (tus termination).</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Id">The upload's id.</param>
public sealed record DeleteUploadParams(string Tenant, string Id);
