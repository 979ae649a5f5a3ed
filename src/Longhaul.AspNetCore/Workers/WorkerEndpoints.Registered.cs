using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore.Workers;

internal static partial class WorkerEndpoints
{
    /// <summary>The names of the remote kinds registered at run time that <paramref name="tenant"/> sees (every tenant's for an all-tenant key).</summary>
    private static async Task<IReadOnlySet<string>> RegisteredKindNamesAsync(HttpContext context, string tenant)
    {
        var kinds = await Store(context).ListRegisteredKindsAsync(tenant, context.RequestAborted).ConfigureAwait(false);
        return kinds.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
    }
}
