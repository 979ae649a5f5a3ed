using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record ApiKeyRecord(string Id, string Tenant, string KeyHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
