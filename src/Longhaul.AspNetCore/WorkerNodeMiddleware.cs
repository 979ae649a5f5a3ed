using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// On a worker-only node, API calls are misrouted (a load balancer sending API traffic to workers, a client with the
/// wrong address): answer a 404 that says so, rather than one a client would read as "no such operation". A 404, not a
/// 503: nothing will change on this node, so there is nothing to retry here.
/// </summary>
internal sealed class WorkerNodeMiddleware(RequestDelegate next, IOptions<LonghaulEngineOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(options.Value.ApiPath)) return next(context);
        return ProblemResults.WriteAsync(context, ProblemCodes.NotAnApiNode, "This node runs workers only (--role worker) and serves only /healthz, /readyz and /metrics; send API requests to a node started with --role api or all.");
    }
}
