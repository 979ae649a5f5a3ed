namespace Longhaul.Storage;

/// <summary>A finished file of an operation; <paramref name="Tenant"/> null reads across tenants (workers, maintenance).</summary>
/// <param name="OperationId">The operation's id.</param>
/// <param name="Name">The file's name within the operation.</param>
/// <param name="Tenant">The caller's tenant, or null across tenants.</param>
public sealed record GetFileParams(string? Tenant, string OperationId, string Name);
