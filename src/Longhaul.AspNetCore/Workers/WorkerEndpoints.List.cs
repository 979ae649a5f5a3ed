using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore.Workers;

internal static partial class WorkerEndpoints
{
    /// <summary>
    /// <c>GET /v1/workers</c> (client keys: operators): the remote workers this node heard from whose key acts for the
    /// caller's tenant or for every tenant: name, tenant (null for all), kinds, last claim, last heartbeat, running
    /// leases and status (<c>active</c>, or <c>gone</c> once unheard of for a lease duration).
    /// </summary>
    private static Task ListWorkersAsync(HttpContext context)
    {
        var tenant = (string)context.Items[LonghaulMiddleware.TenantItem]!;
        var workers = context.RequestServices.GetRequiredService<WorkerDirectory>().List(tenant);
        return WriteJsonAsync(context, w =>
        {
            w.WriteStartArray("workers");
            foreach (var worker in workers)
            {
                w.WriteStartObject();
                w.WriteString("name", worker.Name);
                if (worker.Tenant == ApiKeyRecord.AllTenants) w.WriteNull("tenant");
                else w.WriteString("tenant", worker.Tenant);
                w.WriteStartArray("kinds");
                foreach (var kind in worker.Kinds) w.WriteStringValue(kind);
                w.WriteEndArray();
                WriteTime(w, "last_claim_at", worker.LastClaimAt);
                WriteTime(w, "last_seen_at", worker.LastSeenAt);
                w.WriteNumber("running", worker.Running);
                w.WriteString("status", worker.Gone ? "gone" : "active");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}
