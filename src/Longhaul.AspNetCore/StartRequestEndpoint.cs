using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary>
/// <c>GET /v1/operations/{id}/request</c>: the start request that would start the same operation again (kind, input
/// as stored, metadata and options; never the <c>callback_url</c>), for "run again". The resource does not carry the
/// input, which can be large. The concurrency key and limit are copied (they describe the work); <c>start_after</c> and
/// <c>start_by</c> are not (instants that have passed once the operation ran).
/// </summary>
internal static class StartRequestEndpoint
{
    public static async Task GetAsync(HttpContext context, string id)
    {
        var store = context.RequestServices.GetRequiredService<IOperationStore>();
        var op = await store.GetAsync(new GetParams(OperationEndpoints.Tenant(context), id), context.RequestAborted).ConfigureAwait(false);
        if (op is null)
        {
            await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
            return;
        }
        var request = new StartOperationRequest
        {
            Kind = op.Kind,
            Input = op.Input,
            Metadata = op.Metadata,
            Options = new OperationOptions
            {
                TimeoutSeconds = op.TimeoutSeconds, MaxAttempts = op.MaxAttempts, Priority = op.Priority,
                ConcurrencyKey = op.ConcurrencyKey, ConcurrencyLimit = op.ConcurrencyLimit,
            },
        };
        await JsonResponses.WriteAsync(context, request, LonghaulJson.Default.StartOperationRequest).ConfigureAwait(false);
    }
}
