namespace Longhaul.AspNetCore.OpenApi;

/// <summary>Which credentials an endpoint takes, so the document adds its security requirement and its 401/403 answers.</summary>
internal enum ApiAccess
{
    /// <summary>No API key (health, metrics, signed download links, the document itself).</summary>
    Anonymous,

    /// <summary>A client key (or none in development mode); a worker key → 403 <c>wrong_key_scope</c>.</summary>
    ClientKey,

    /// <summary>A worker key (or none in development mode); a client key → 403 <c>wrong_key_scope</c>.</summary>
    WorkerKey,

    /// <summary>An operator key (or none in development mode); client and worker keys → 403 <c>wrong_key_scope</c>.</summary>
    OperatorKey,

    /// <summary>A client key for its own tenant, or an operator key for any; a worker key → 403 <c>wrong_key_scope</c>.</summary>
    ClientOrOperatorKey,
}
