namespace Longhaul.Server;

/// <summary>The resolved store and role of this server; <see cref="DataDir"/> is set for SQLite only.</summary>
public sealed record ServeContext(string StoreDescription, ServeRole Role, string? DataDir);
