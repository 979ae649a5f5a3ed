using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore.Workers;

internal static partial class WorkerEndpoints
{
    /// <summary>
    /// <c>GET /v1/workers</c> (client keys: operators): the remote workers of the store's registry, whichever node heard
    /// from them, whose key acts for the caller's tenant or for every tenant: name, tenant (null for all), key id, kinds,
    /// the node that last heard from it, first and last seen, last claim, the leases it holds on the caller's tenant's
    /// operations (<c>running</c>) and status (<c>active</c>, <c>idle</c>, <c>gone</c>).
    /// </summary>
    private static async Task ListWorkersAsync(HttpContext context)
    {
        var tenant = (string)context.Items[LonghaulMiddleware.TenantItem]!;
        var workers = await context.RequestServices.GetRequiredService<WorkerDirectory>().ListAsync(tenant, context.RequestAborted).ConfigureAwait(false);
        await WriteJsonAsync(context, w =>
        {
            w.WriteStartArray("workers");
            foreach (var (worker, status) in workers)
            {
                w.WriteStartObject();
                w.WriteString("name", worker.Name);
                if (worker.Tenant == ApiKeyRecord.AllTenants) w.WriteNull("tenant");
                else w.WriteString("tenant", worker.Tenant);
                if (worker.KeyId is { } keyId) w.WriteString("key_id", keyId);
                else w.WriteNull("key_id");
                w.WriteStartArray("kinds");
                foreach (var kind in worker.Kinds) w.WriteStringValue(kind);
                w.WriteEndArray();
                w.WriteString("node", worker.Node);
                WriteTime(w, "first_seen_at", worker.FirstSeenAt);
                WriteTime(w, "last_seen_at", worker.LastSeenAt);
                WriteTime(w, "last_claim_at", worker.LastClaimAt);
                w.WriteNumber("running", worker.Leases);
                w.WriteString("status", status);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }
}
