namespace Longhaul.Storage;

/// <summary>A new API key to store, active until revoked.</summary>
/// <param name="Id">The key's public id (what <c>longhaul keys revoke</c> takes); unique in the store.</param>
/// <param name="Tenant">The tenant every request made with the key acts for (<see cref="ApiKeyRecord.AllTenants"/> for a worker key of every tenant).</param>
/// <param name="KeyHash">The hash of the secret key (the key itself is never stored); unique in the store.</param>
/// <param name="CreatedAt">Stored as given: the caller's clock, not the store's.</param>
/// <param name="Scope">What the key may do. Defaults to <see cref="ApiKeyScope.Client"/>.</param>
/// <param name="Kinds">For a worker key, the kinds it may claim; null for any remote kind. Stored as given.</param>
public sealed record CreateApiKeyParams(string Id, string Tenant, string KeyHash, DateTimeOffset CreatedAt,
    ApiKeyScope Scope = ApiKeyScope.Client, IReadOnlyList<string>? Kinds = null);
