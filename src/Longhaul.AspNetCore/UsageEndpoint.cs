using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary><c>GET /v1/usage</c>: the caller's tenant's stored operation files, counted from the store's file table.</summary>
internal static class UsageEndpoint
{
    public static async Task GetAsync(HttpContext context)
    {
        var tenant = OperationEndpoints.Tenant(context);
        var usage = await context.RequestServices.GetRequiredService<IOperationStore>()
            .GetStorageUsageAsync(new StorageUsageParams(tenant), context.RequestAborted).ConfigureAwait(false);
        await JsonResponses.WriteAsync(context, new StorageUsageResource { Tenant = tenant, Files = usage.Files, FileBytes = usage.FileBytes },
            LonghaulJson.Default.StorageUsageResource).ConfigureAwait(false);
    }
}
