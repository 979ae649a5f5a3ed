using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// <c>DELETE /v1/kinds/{name}[?force=true]</c> (worker keys that may use the kind): deletes a remote kind registered at
/// run time, in the store, so every node stops knowing it at once (as registration, ADR 29). Refused with 409
/// <c>kind_in_use</c> while operations of the kind are pending or running, unless <c>force=true</c>, which deletes it
/// and then cancels them through the store's cancel (pending ones end cancelled; running ones are asked to stop).
/// </summary>
internal static partial class KindDeletionEndpoints
{
    public static void Map(RouteGroupBuilder api)
        => api.MapDelete("/kinds/{name}", DeleteAsync).WithMetadata(WorkerProtocolEndpoint.Instance).WithMetadata(OpenApi.ApiDocs.DeleteKind).WithName("DeleteKind")
            .WithSummary("Deletes a remote kind registered at run time")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<Problem>(StatusCodes.Status400BadRequest, ProblemResults.ContentType)
            .Produces<Problem>(StatusCodes.Status403Forbidden, ProblemResults.ContentType)
            .Produces<Problem>(StatusCodes.Status404NotFound, ProblemResults.ContentType)
            .Produces<Problem>(StatusCodes.Status409Conflict, ProblemResults.ContentType);

    private static async Task<Results<NoContent, ProblemResult>> DeleteAsync(HttpContext context, string name, string? force)
    {
        var forced = force switch
        {
            null or "false" => false,
            "true" => true,
            _ => (bool?)null,
        };
        if (forced is null) return new ProblemResult(ProblemCodes.InvalidParameter, "force: must be true or false",
            new Dictionary<string, string[]> { ["force"] = ["must be true or false"] });
        var services = context.RequestServices;
        if (services.GetRequiredService<OperationHandlerRegistry>().TryGet(name, out _))
            return new ProblemResult(ProblemCodes.KindNotDeletable, $"'{name}' is a kind of this server (built in or configured); only kinds registered at run time can be deleted.");
        if (!RegisteredKinds.IsValidName(name)) return new ProblemResult(ProblemCodes.KindNotFound, "No kind registered at run time has this name.");
        var caller = LonghaulCaller.Of(context);
        if (caller?.Kinds is { } allowed && !allowed.Contains(name, StringComparer.Ordinal))
            return new ProblemResult(ProblemCodes.WrongKeyScope, $"This worker key may not delete kind '{name}' (its kinds: {string.Join(", ", allowed)}).");
        var tenant = caller?.Tenant ?? (string)context.Items[LonghaulMiddleware.TenantItem]!;
        var store = services.GetRequiredService<IOperationStore>();
        var result = await store.DeleteRegisteredKindAsync(new DeleteRegisteredKindParams(tenant, name, forced.Value), CancellationToken.None).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case DeleteRegisteredKindOutcome.NotFound:
                var visible = await store.FindRegisteredKindAsync(new FindRegisteredKindParams(tenant, name), CancellationToken.None).ConfigureAwait(false);
                // Seen by the caller but registered in another scope: only a key of that scope may delete it.
                if (visible is null) return new ProblemResult(ProblemCodes.KindNotFound, "No kind registered at run time has this name.");
                return new ProblemResult(ProblemCodes.WrongKeyScope, visible.Tenant == ApiKeyRecord.AllTenants
                    ? $"'{name}' is registered for every tenant; only a worker key of every tenant may delete it."
                    : $"'{name}' is registered for tenant '{visible.Tenant}'; only a worker key of that tenant may delete it.");
            case DeleteRegisteredKindOutcome.InUse:
                return new ProblemResult(ProblemCodes.KindInUse,
                    $"{result.Unfinished.Count} operation(s) of kind '{name}' are pending or running; nothing was deleted. Delete with ?force=true to cancel them.");
        }
        // Committed: from here on nothing may turn the answer into an error.
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KindDeletionEndpoints));
        foreach (var (opTenant, id) in result.Unfinished)
        {
            try
            {
                await store.CancelAsync(new CancelParams(opTenant, id), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogCancelFailed(logger, ex, id, name);
            }
        }
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cancelling operation {OperationId} of deleted kind {Kind} failed")]
    private static partial void LogCancelFailed(ILogger logger, Exception ex, string operationId, string kind);
}
