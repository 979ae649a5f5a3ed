using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary>
/// Wraps every endpoint <c>MapLonghaul(prefix)</c> maps: records where the API is mounted (for <c>Location</c> and other
/// links) and the request's tenant, from the app's <see cref="ILonghaulTenantSource"/> when it has one, otherwise from
/// the API key (unless <see cref="LonghaulMiddleware"/> already did). It runs inside the endpoint, so after the app's
/// authentication and authorization middleware.
/// </summary>
internal static class ApiGate
{
    public const string ApiPathItem = "longhaul.api_path";

    public static RequestDelegate Wrap(RequestDelegate inner, PathString prefix) => async context =>
    {
        context.Items[ApiPathItem] = context.Request.PathBase.Add(prefix).Value;
        if (!context.Items.ContainsKey(LonghaulMiddleware.TenantItem))
        {
            var tenant = await ResolveTenantAsync(context).ConfigureAwait(false);
            if (tenant is null) return;
            context.Items[LonghaulMiddleware.TenantItem] = tenant;
        }
        if (!await ScopeAllowsAsync(context).ConfigureAwait(false)) return;
        await inner(context).ConfigureAwait(false);
    };

    /// <summary>The API's path as the client sees it (<c>PathBase</c> included), e.g. <c>/v1</c>.</summary>
    public static string ApiPath(HttpContext context)
        => context.Items.TryGetValue(ApiPathItem, out var path) && path is string p ? p : LonghaulEngineOptions.DefaultApiPath;

    /// <summary>
    /// A worker key may call only the worker protocol, and a client key anything but it; otherwise 403
    /// <c>wrong_key_scope</c> is written and false returned.
    /// </summary>
    private static async ValueTask<bool> ScopeAllowsAsync(HttpContext context)
    {
        var caller = LonghaulCaller.Of(context);
        if (caller is null) return true;
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<Admission.OperatorEndpoint>() is { } operatorEndpoint)
        {
            if (caller.MayOperate || (operatorEndpoint.ClientsToo && caller.MayUseClientApi)) return true;
            await ProblemResults.WriteAsync(context, ProblemCodes.WrongKeyScope, operatorEndpoint.ClientsToo
                ? "Only a client or an operator key may use this endpoint."
                : "Only an operator key may use the operator API (longhaul keys create --scope operator).").ConfigureAwait(false);
            return false;
        }
        var worker = metadata?.GetMetadata<WorkerProtocolEndpoint>() is not null;
        if (worker ? caller.MayWork : caller.MayUseClientApi) return true;
        await ProblemResults.WriteAsync(context, ProblemCodes.WrongKeyScope, worker
            ? "Only a worker key may use the worker protocol; this is a client key (longhaul keys create --scope worker)."
            : caller.Scope == ApiKeyScope.Operator
                ? "An operator key may use only the operator API (/v1/tenants, /v1/usage), not this endpoint."
                : "A worker key may use only the worker protocol (claims and lease writes), not this endpoint.").ConfigureAwait(false);
        return false;
    }

    /// <summary>The tenant, or null once a 401 or 403 problem is written.</summary>
    private static async ValueTask<string?> ResolveTenantAsync(HttpContext context)
    {
        var source = context.RequestServices.GetService<ILonghaulTenantSource>();
        if (source is null)
        {
            var keyed = await Admission.AuthAttempts.ResolveAsync(context, context.RequestServices.GetRequiredService<TenantResolver>()).ConfigureAwait(false);
            if (keyed is not null) context.Items[LonghaulCaller.Item] = keyed;
            return keyed?.Tenant;
        }
        if (context.User.Identity?.IsAuthenticated != true)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.Unauthorized,
                "Sign in first: this API takes the tenant from the signed-in user.").ConfigureAwait(false);
            return null;
        }
        var tenant = await source.GetTenantAsync(context, context.RequestAborted).ConfigureAwait(false);
        if (ApiKeys.IsValidTenant(tenant)) return tenant;
        await ProblemResults.WriteAsync(context, ProblemCodes.Forbidden, tenant is null
            ? "The signed-in user has no tenant, so may not use this API."
            : "The signed-in user's tenant is not a valid tenant name (1-63 characters of a-z, 0-9, '-' and '_').").ConfigureAwait(false);
        return null;
    }
}
