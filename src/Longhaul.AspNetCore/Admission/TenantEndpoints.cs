using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// The operator API (operator keys; without keys, anyone): <c>GET /v1/tenants</c>, <c>GET/PUT /v1/tenants/{tenant}/limits</c>.
/// Limits are stored in the store (every node sees a change within 2 seconds, the answering node at once).
/// </summary>
internal static class TenantEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/tenants", ListAsync).WithName("ListTenants").WithSummary("Every known tenant with its limits (operator key).")
            .WithMetadata(OperatorEndpoint.Only).WithMetadata(OpenApi.ApiDocs.ListTenants);
        v1.MapGet("/tenants/{tenant}/limits", GetAsync).WithName("GetTenantLimits").WithSummary("A tenant's limit overrides and the limits in force (operator key).")
            .WithMetadata(OperatorEndpoint.Only).WithMetadata(OpenApi.ApiDocs.GetTenantLimits);
        v1.MapPut("/tenants/{tenant}/limits", PutAsync).WithName("SetTenantLimits").WithSummary("Replaces a tenant's limit overrides (operator key).")
            .Accepts<TenantLimitValues>("application/json").WithMetadata(OperatorEndpoint.Only).WithMetadata(OpenApi.ApiDocs.SetTenantLimits);
    }

    /// <summary>The tenants that have an API key or overrides, in name order (operations alone do not make a tenant known).</summary>
    public static async Task<IReadOnlyList<string>> KnownTenantsAsync(IOperationStore store, ITenantLimits limits, CancellationToken ct)
    {
        var keys = await store.ListApiKeysAsync(ct).ConfigureAwait(false);
        var overrides = await limits.ListAsync(ct).ConfigureAwait(false);
        return [.. keys.Select(k => k.Tenant).Where(t => t != ApiKeyRecord.AllTenants).Concat(overrides.Select(o => o.Key))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static async Task<JsonOk<TenantList>> ListAsync(IOperationStore store, ITenantLimits limits, IOptions<TenantLimitsOptions> defaults, CancellationToken ct)
    {
        var overrides = (await limits.ListAsync(ct).ConfigureAwait(false)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        var tenants = new List<TenantLimitsResource>();
        foreach (var tenant in await KnownTenantsAsync(store, limits, ct).ConfigureAwait(false))
        {
            var own = overrides.GetValueOrDefault(tenant) ?? new TenantLimitOverrides();
            tenants.Add(new TenantLimitsResource { Tenant = tenant, Overrides = own.ToWire(), Limits = TenantLimits.Resolve(tenant, own, defaults.Value).ToWire() });
        }
        return new JsonOk<TenantList>(new TenantList { Defaults = defaults.Value.ToWire(), Tenants = tenants }, LonghaulJson.Default.TenantList);
    }

    private static async Task<Results<JsonOk<TenantLimitsResource>, ProblemResult>> GetAsync(string tenant, IOperationStore store, IOptions<TenantLimitsOptions> defaults, CancellationToken ct)
    {
        if (BadTenant(tenant) is { } bad) return bad;
        var own = await store.GetTenantLimitsAsync(tenant, ct).ConfigureAwait(false) ?? new TenantLimitOverrides();
        return Resource(tenant, own, defaults.Value);
    }

    private static async Task<Results<JsonOk<TenantLimitsResource>, ProblemResult>> PutAsync(
        string tenant, HttpContext context, ITenantLimits limits, IOptions<LonghaulApiOptions> api, IOptions<TenantLimitsOptions> defaults, CancellationToken ct)
    {
        if (BadTenant(tenant) is { } bad) return bad;
        if (!StartRequestParser.IsJson(context.Request.ContentType))
            return new ProblemResult(ProblemCodes.UnsupportedMediaType, "Send the limits as 'Content-Type: application/json' (UTF-8).");
        var body = await StartRequestParser.ReadBodyAsync(context, api.Value.MaxWorkerBodyBytes).ConfigureAwait(false);
        if (body is null) return new ProblemResult(ProblemCodes.BodyTooLarge, $"The body exceeds the limit of {api.Value.MaxWorkerBodyBytes} bytes.");
        using var document = JsonBody.Parse(body, api.Value.MaxJsonDepth, out var invalid);
        if (document is null)
            return new ProblemResult(invalid!.Code, invalid.Message, invalid.Path is { } path ? new Dictionary<string, string[]> { [path] = [invalid.Message] } : null);
        if (TenantLimitsBody.Read(document.RootElement, out var errors) is not { } overrides)
            return new ProblemResult(ProblemCodes.ValidationFailed, "One or more fields are invalid; see errors.", errors);
        await limits.SetAsync(tenant, overrides, ct).ConfigureAwait(false);
        return Resource(tenant, overrides, defaults.Value);
    }

    private static JsonOk<TenantLimitsResource> Resource(string tenant, TenantLimitOverrides own, TenantLimitsOptions defaults)
        => new(new TenantLimitsResource { Tenant = tenant, Overrides = own.ToWire(), Limits = TenantLimits.Resolve(tenant, own, defaults).ToWire() },
            LonghaulJson.Default.TenantLimitsResource);

    private static ProblemResult? BadTenant(string tenant) => ApiKeys.IsValidTenant(tenant) ? null
        : new ProblemResult(ProblemCodes.InvalidParameter, "tenant: must be 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit",
            new Dictionary<string, string[]> { ["tenant"] = ["must be 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"] });
}
