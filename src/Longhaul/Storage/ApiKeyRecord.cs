namespace Longhaul.Storage;

/// <summary>An API key as stored: the tenant it acts for and its scope, never the key itself.</summary>
/// <param name="Id">The key's public id.</param>
/// <param name="Tenant">The tenant every request made with the key acts for; <see cref="AllTenants"/> for a worker key of every tenant.</param>
/// <param name="KeyHash">The hash of the secret key.</param>
/// <param name="CreatedAt">When the key was created, as the creator gave it.</param>
/// <param name="RevokedAt">When the key was revoked (store clock); null while it is active.</param>
/// <param name="Scope">What the key may do. Defaults to <see cref="ApiKeyScope.Client"/>.</param>
/// <param name="Kinds">For a worker key, the kinds it may claim; null for any remote kind.</param>
public sealed record ApiKeyRecord(string Id, string Tenant, string KeyHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt,
    ApiKeyScope Scope = ApiKeyScope.Client, IReadOnlyList<string>? Kinds = null)
{
    /// <summary>The <see cref="Tenant"/> of a worker key that claims every tenant's operations (not a valid tenant name, so never a tenant's).</summary>
    public const string AllTenants = "*";
}
