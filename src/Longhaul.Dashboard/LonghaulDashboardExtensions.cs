using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Longhaul.Dashboard;

/// <summary>Registers and maps the web dashboard.</summary>
public static class LonghaulDashboardExtensions
{
    /// <summary>Adds what <see cref="MapLonghaulDashboard"/> serves (the embedded files, read once).</summary>
    public static IServiceCollection AddLonghaulDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<DashboardAssets>();
        return services;
    }

    /// <summary>
    /// Maps the dashboard at <paramref name="path"/> (default <c>/ui</c>): <c>GET|HEAD {path}/</c> and its files. The
    /// pages carry no data and need no key; the browser signs in to the API (<c>/v1</c> on the same origin) with an API
    /// key the user pastes, kept in the tab's sessionStorage.
    /// </summary>
    public static IEndpointRouteBuilder MapLonghaulDashboard(this IEndpointRouteBuilder endpoints, string path = "/ui")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        // One route for /ui, /ui/ and /ui/{file}: routing treats the first two as the same path.
        endpoints.MapMethods(path + "/{file?}", methods, (HttpContext context, string? file) =>
            file is null && context.Request.Path.Value?.EndsWith('/') != true ? DashboardEndpoint.RedirectAsync(context) : DashboardEndpoint.ServeAsync(context, file));
        return endpoints;
    }
}
