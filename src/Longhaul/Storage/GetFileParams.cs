namespace Longhaul.Storage;

/// <summary>A finished file of an operation; <paramref name="Tenant"/> null reads across tenants (workers, maintenance).</summary>
public sealed record GetFileParams(string? Tenant, string OperationId, string Name);
