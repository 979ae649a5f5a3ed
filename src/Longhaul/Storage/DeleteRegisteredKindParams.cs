namespace Longhaul.Storage;

/// <summary>Deletes a kind registered at run time.</summary>
/// <param name="Tenant">The kind's tenant exactly (<see cref="ApiKeyRecord.AllTenants"/> for an every-tenant kind).</param>
/// <param name="Name">The kind's name.</param>
/// <param name="Force">Delete even when operations of the kind are unfinished (the caller then cancels them).</param>
public sealed record DeleteRegisteredKindParams(string Tenant, string Name, bool Force);
