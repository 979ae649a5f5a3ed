namespace Longhaul.Storage;

/// <summary>What an API key may do.</summary>
public enum ApiKeyScope
{
    /// <summary>Start, read, list, cancel and delete its tenant's operations (every key before scopes existed).</summary>
    Client = 0,

    /// <summary>Only the worker protocol: claim operations of remote kinds and write under their leases.</summary>
    Worker = 1,

    /// <summary>
    /// Only the operator API: read and set every tenant's limits (<c>/v1/tenants</c>) and read every tenant's usage
    /// (<c>/v1/usage</c>). Its tenant is <see cref="ApiKeyRecord.AllTenants"/>.
    /// </summary>
    Operator = 2,
}
