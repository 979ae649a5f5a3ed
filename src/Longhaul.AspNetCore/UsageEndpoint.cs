using Longhaul.AspNetCore.Admission;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary>
/// <c>GET /v1/usage</c>: the caller's tenant's stored bytes (operation files, uploads), unfinished operations, create
/// rate and connections, each with its limit. An operator key names a tenant with <c>?tenant=</c>, or gets every known
/// tenant's without it.
/// </summary>
internal static class UsageEndpoint
{
    public static async Task GetAsync(HttpContext context)
    {
        var caller = LonghaulCaller.Of(context);
        var asked = context.Request.Query["tenant"];
        if (asked.Count > 1 || (asked.Count == 1 && !ApiKeys.IsValidTenant(asked[0])))
        {
            await ProblemResults.BadParameterAsync(context, "tenant", "must be one tenant name: 1-63 characters of a-z, 0-9, '-' and '_'").ConfigureAwait(false);
            return;
        }
        var own = OperationEndpoints.Tenant(context);
        var isOperator = caller?.Scope == ApiKeyScope.Operator;
        if (asked.Count == 1 && asked[0] != own && !(caller?.MayOperate ?? true))
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.WrongKeyScope, "Only an operator key may read another tenant's usage.").ConfigureAwait(false);
            return;
        }
        if (asked.Count == 0 && isOperator)
        {
            var services = context.RequestServices;
            var list = new List<StorageUsageResource>();
            foreach (var tenant in await TenantEndpoints.KnownTenantsAsync(services.GetRequiredService<IOperationStore>(), services.GetRequiredService<ITenantLimits>(), context.RequestAborted).ConfigureAwait(false))
                list.Add(await ReadAsync(context, tenant).ConfigureAwait(false));
            await JsonResponses.WriteAsync(context, new UsageList { Tenants = list }, LonghaulJson.Default.UsageList).ConfigureAwait(false);
            return;
        }
        var usage = await ReadAsync(context, asked.Count == 1 ? asked[0]! : own).ConfigureAwait(false);
        await JsonResponses.WriteAsync(context, usage, LonghaulJson.Default.StorageUsageResource).ConfigureAwait(false);
    }

    private static async Task<StorageUsageResource> ReadAsync(HttpContext context, string tenant)
    {
        var services = context.RequestServices;
        var usage = await services.GetRequiredService<IOperationStore>().GetStorageUsageAsync(new StorageUsageParams(tenant), context.RequestAborted).ConfigureAwait(false);
        var limits = await services.GetRequiredService<ITenantLimits>().GetAsync(tenant, context.RequestAborted).ConfigureAwait(false);
        return new StorageUsageResource
        {
            Tenant = tenant,
            Files = usage.Files,
            FileBytes = usage.FileBytes,
            Uploads = usage.Uploads,
            UploadBytes = usage.UploadBytes,
            StoredBytes = usage.StoredBytes,
            Running = usage.Running,
            Pending = usage.Pending,
            CreateRatePerSecond = Math.Round(services.GetRequiredService<CreateRateLimiter>().RatePerSecond(tenant), 3),
            Connections = services.GetRequiredService<ConnectionLimiter>().Count(tenant),
            Limits = limits.ToWire(),
        };
    }
}
