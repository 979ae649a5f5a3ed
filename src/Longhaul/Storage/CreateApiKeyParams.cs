namespace Longhaul.Storage;

/// <summary>A new API key to store, active until revoked.</summary>
/// <param name="Id">The key's public id (what <c>longhaul keys revoke</c> takes); unique in the store.</param>
/// <param name="Tenant">The tenant every request made with the key acts for.</param>
/// <param name="KeyHash">The hash of the secret key (the key itself is never stored); unique in the store.</param>
/// <param name="CreatedAt">Stored as given: the caller's clock, not the store's.</param>
public sealed record CreateApiKeyParams(string Id, string Tenant, string KeyHash, DateTimeOffset CreatedAt);
