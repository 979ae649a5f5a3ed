namespace Longhaul.Storage;

/// <summary>Revokes an API key: from then on it authenticates nothing.</summary>
/// <param name="Id">The key's public id.</param>
public sealed record RevokeApiKeyParams(string Id);
