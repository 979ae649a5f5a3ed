namespace Longhaul.Server;

/// <summary>What a <c>serve</c> process does: everything, only the HTTP API (never claims work), or only workers (health endpoints only).</summary>
public enum ServeRole
{
    /// <summary>The API and workers in one process (the default).</summary>
    All,
    /// <summary>Only the HTTP API: starts, reads and cancels, never claims work.</summary>
    Api,
    /// <summary>Only workers, serving <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>.</summary>
    Worker,
}
