using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Longhaul.AspNetCore;

/// <summary>The HTTP API's part of <see cref="LonghaulBuilder"/>: its services and where the tenant of a request comes from.</summary>
public static class LonghaulBuilderApiExtensions
{
    /// <summary>
    /// Adds the HTTP API's services, bound to <c>Longhaul:Http</c> of the builder's configuration and then
    /// <paramref name="configure"/>; mount the endpoints with <c>app.MapLonghaul(prefix)</c>. Without a tenant source
    /// the API authenticates with Longhaul's API keys (<c>longhaul keys create</c>).
    /// </summary>
    public static LonghaulBuilder AddApi(this LonghaulBuilder builder, Action<LonghaulApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLonghaulApi(builder.Configuration, configure);
        return builder;
    }

    /// <summary>
    /// Takes the tenant of API requests from the signed-in user's claim <paramref name="claimType"/> instead of API keys
    /// (see <see cref="ILonghaulTenantSource"/>): no user → 401, a user without the claim → 403.
    /// </summary>
    public static LonghaulBuilder UseTenantFromClaim(this LonghaulBuilder builder, string claimType = "tenant")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var source = new ClaimTenantSource(claimType);
        builder.Services.RemoveAll<ILonghaulTenantSource>();
        builder.Services.AddSingleton<ILonghaulTenantSource>(source);
        return builder;
    }

    /// <summary>Takes the tenant of API requests from the app's own <typeparamref name="TSource"/> (a singleton) instead of API keys.</summary>
    public static LonghaulBuilder UseTenantSource<TSource>(this LonghaulBuilder builder)
        where TSource : class, ILonghaulTenantSource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ILonghaulTenantSource>();
        builder.Services.AddSingleton<ILonghaulTenantSource, TSource>();
        return builder;
    }
}
