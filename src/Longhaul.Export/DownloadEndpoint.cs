using System.Globalization;
using Longhaul.AspNetCore;
using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Export;

/// <summary>
/// <c>GET|HEAD /downloads/{id}/{name}?tenant=&amp;expires=&amp;signature=</c>: an export file without an API key. A
/// signature that does not match these exact values → 403; a valid one past its expiry → 410; then the file is served
/// as <c>/v1/operations/{id}/files/{name}</c> serves it (Range, If-Range, ETag; 404 once the operation is deleted).
/// </summary>
internal static class DownloadEndpoint
{
    public static async Task GetAsync(HttpContext context, string id, string name)
    {
        try
        {
            await ServeAsync(context, id, name).ConfigureAwait(false);
        }
        finally
        {
            // Every answer of a link counted by its status: 403 and 410 are what an operator alerts on.
            context.RequestServices.GetService<ExportMetrics>()?.Downloaded(context.Response.StatusCode);
        }
    }

    private static async Task ServeAsync(HttpContext context, string id, string name)
    {
        var query = context.Request.Query;
        var tenant = query["tenant"].ToString();
        var signature = query["signature"].ToString();
        var links = context.RequestServices.GetRequiredService<DownloadLinks>();
        if (!long.TryParse(query["expires"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || !await links.VerifyAsync(tenant, id, name, expires, signature, context.RequestAborted).ConfigureAwait(false))
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.Forbidden, "The download link is not valid.").ConfigureAwait(false);
            return;
        }
        var now = context.RequestServices.GetRequiredService<ExportClock>().Time.GetUtcNow().ToUnixTimeSeconds();
        if (now >= expires)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.LinkExpired,
                "The download link has expired; fetch the file with an API key or run the export again.").ConfigureAwait(false);
            return;
        }
        context.Items[LonghaulMiddleware.TenantItem] = tenant;
        await FileEndpoint.GetAsync(context, id, name).ConfigureAwait(false);
    }
}
