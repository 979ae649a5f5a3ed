using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>An API key as stored: the tenant it acts for, never the key itself.</summary>
/// <param name="Id">The key's public id.</param>
/// <param name="Tenant">The tenant every request made with the key acts for.</param>
/// <param name="KeyHash">The hash of the secret key.</param>
/// <param name="CreatedAt">When the key was created, as the creator gave it.</param>
/// <param name="RevokedAt">When the key was revoked (store clock); null while it is active.</param>
public sealed record ApiKeyRecord(string Id, string Tenant, string KeyHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
