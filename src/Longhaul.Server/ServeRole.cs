namespace Longhaul.Server;

/// <summary>What a <c>serve</c> process does: everything, only the HTTP API (never claims work), or only workers (health endpoints only).</summary>
public enum ServeRole
{
    All,
    Api,
    Worker,
}
