using static Longhaul.AspNetCore.OpenApi.ApiResponse;
using static Longhaul.Contracts.ProblemCodes;

namespace Longhaul.AspNetCore.OpenApi;

/// <summary>The operator API (tenants and their limits), kind deletion, and the answers the admission limits add.</summary>
internal static partial class ApiDocs
{
    private const string TenantParam = "A tenant name: 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.";

    /// <summary>429 <c>connection_limit</c>: the tenant holds its <c>max_connections</c> streams and long-polls on the answering node.</summary>
    private static ApiResponse ConnectionLimited => Problem(429, "The tenant holds its `max_connections` event streams and long-polls on this node.", ConnectionLimit) with { Headers = ["Retry-After"] };

    /// <summary>413 <c>storage_limit_exceeded</c>: the write would take the tenant past <c>max_stored_bytes</c>.</summary>
    private static ApiResponse StorageLimited => Problem(413, "The tenant's stored bytes would pass `max_stored_bytes`; nothing stored.", StorageLimitExceeded);

    public static readonly ApiDoc ListTenants = new("listTenants", "Operator", "Every known tenant with its limit overrides and the limits in force")
    {
        Access = ApiAccess.OperatorKey,
        Responses = [Ok(200, "The configured defaults and the tenants (those with an API key or overrides).", "#TenantList")],
    };

    public static readonly ApiDoc GetTenantLimits = new("getTenantLimits", "Operator", "A tenant's limit overrides and the limits in force")
    {
        Access = ApiAccess.OperatorKey,
        PathParameters = new Dictionary<string, string> { ["tenant"] = TenantParam },
        Responses = [Ok(200, "The overrides (null: the default) and the limits in force.", "#TenantLimitsResource"), Problem(400, "A bad tenant name.", InvalidParameter)],
    };

    public static readonly ApiDoc SetTenantLimits = new("setTenantLimits", "Operator", "Replace a tenant's limit overrides")
    {
        Access = ApiAccess.OperatorKey,
        PathParameters = new Dictionary<string, string> { ["tenant"] = TenantParam },
        Body = ApiBody.Json("#TenantLimitValues"),
        Responses = [Ok(200, "The overrides as stored and the limits now in force (every node within 2 s).", "#TenantLimitsResource"), Problem(400, "A bad tenant name.", InvalidParameter)],
    };

    public static readonly ApiDoc DeleteKind = new("deleteKind", "Tenant", "Delete a remote kind registered at run time")
    {
        Access = ApiAccess.WorkerKey,
        Parameters = [ApiParam.Query("force", """{"type":"string","enum":["true","false"]}""", "`true`: delete it even with pending or running operations, and cancel them.")],
        Responses =
        [
            Empty(204, "Deleted (with `force=true`, its operations cancelled)."),
            Problem(400, "A bad `force`.", InvalidParameter),
            Problem(404, "No kind registered at run time has this name in the key's scope.", KindNotFound),
            Problem(409, "A built-in or configured kind, or one with pending or running operations (without `force=true`).", KindNotDeletable, KindInUse),
        ],
    };
}
