using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Longhaul.AspNetCore;

/// <summary><c>GET /v1/usage</c>: the caller's tenant's stored operation files, counted from the store's file table.</summary>
internal static class UsageEndpoint
{
    /// <summary>Typed (ADR 28): the tenant and the store are bound, the answer is a <see cref="JsonHttpResult{TValue}"/> written with the wire types' serializer.</summary>
    public static async Task<JsonHttpResult<StorageUsageResource>> GetAsync(LonghaulTenant tenant, IOperationStore store, CancellationToken cancellationToken)
    {
        var usage = await store.GetStorageUsageAsync(new StorageUsageParams(tenant.Name), cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new StorageUsageResource { Tenant = tenant.Name, Files = usage.Files, FileBytes = usage.FileBytes }, LonghaulJson.Default.StorageUsageResource);
    }
}
