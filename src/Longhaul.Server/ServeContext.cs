namespace Longhaul.Server;

/// <summary>The resolved data directory and database file of this server.</summary>
public sealed record ServeContext(string DataDir, string DatabasePath);
