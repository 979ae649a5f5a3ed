namespace Longhaul.Storage;

/// <summary>Which workers to list.</summary>
/// <param name="Tenant">The tenant asking: its workers and every-tenant ones, leases counted on its operations only; <see cref="ApiKeyRecord.AllTenants"/> for all.</param>
/// <param name="Limit">At most this many workers, most recently seen first.</param>
public sealed record ListWorkersParams(string Tenant, int Limit);
