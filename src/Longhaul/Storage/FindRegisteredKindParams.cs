namespace Longhaul.Storage;

/// <summary>Finds the registered kind <paramref name="Name"/> that <paramref name="Tenant"/> sees: its own, or an every-tenant one.</summary>
/// <param name="Tenant">The tenant asking; <see cref="ApiKeyRecord.AllTenants"/> finds a kind of any tenant.</param>
/// <param name="Name">The kind's name.</param>
public sealed record FindRegisteredKindParams(string Tenant, string Name);
