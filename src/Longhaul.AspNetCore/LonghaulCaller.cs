using Longhaul.Storage;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>Who made an API request: the tenant and what the key may do.</summary>
/// <param name="Tenant">The tenant the request acts for (<see cref="ApiKeyRecord.AllTenants"/> for an all-tenant worker key).</param>
/// <param name="Scope">The key's scope; null without a key (development mode, or an app's own sign-in), which may use every endpoint.</param>
/// <param name="Kinds">A worker key's kinds; null for any.</param>
/// <param name="KeyId">The key's id; null without a key.</param>
public sealed record LonghaulCaller(string Tenant, ApiKeyScope? Scope, IReadOnlyList<string>? Kinds, string? KeyId)
{
    internal const string Item = "longhaul.caller";

    /// <summary>The caller of a request the API authenticated; null outside the API.</summary>
    public static LonghaulCaller? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(Item, out var caller) ? caller as LonghaulCaller : null;
    }

    /// <summary>True when this caller may use the worker protocol (a worker key, or no key at all).</summary>
    public bool MayWork => Scope is null or ApiKeyScope.Worker;

    /// <summary>True when this caller may use the operator API (an operator key, or no key at all).</summary>
    public bool MayOperate => Scope is null or ApiKeyScope.Operator;

    /// <summary>True when this caller may use the client endpoints (a client key, or no key at all).</summary>
    public bool MayUseClientApi => Scope is null or ApiKeyScope.Client;
}
