using Longhaul.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Longhaul.Export;

/// <summary>Registers the <c>export</c> kind and maps its download links.</summary>
public static class LonghaulExportExtensions
{
    /// <summary>
    /// Adds the built-in kind <c>export</c> with the sources of <c>Longhaul:Export</c> (from the builder's configuration)
    /// and of <paramref name="configure"/>, validated at start-up.
    /// </summary>
    public static LonghaulBuilder AddExportKind(this LonghaulBuilder builder, Action<ExportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ExportOptions>();
        if (builder.Configuration is { } configuration) options.Bind(configuration.GetSection(ExportOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        builder.Services.AddSingleton<IValidateOptions<ExportOptions>, ExportOptionsValidator>();
        options.ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ExportCatalog>();
        builder.Services.TryAddSingleton<ExportMetrics>();
        builder.Services.TryAddSingleton(sp => new ExportClock(sp.GetKeyedService<TimeProvider>(ExportHandler.KindName) ?? sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(sp => new DownloadLinks(sp.GetRequiredService<IOperationStore>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperationHandler, ExportHandler>(sp => new ExportHandler(
            sp.GetRequiredService<ExportCatalog>(), sp.GetRequiredService<IOperationStore>(), sp.GetRequiredService<DownloadLinks>(), sp.GetRequiredService<ExportClock>().Time, sp.GetRequiredService<ExportMetrics>())));
        return builder;
    }

    /// <summary>
    /// Maps <c>GET|HEAD /downloads/{id}/{name}</c>: export files behind signed, expiring links, served without an API
    /// key (outside the API path, so API-key middleware does not ask for one).
    /// </summary>
    public static IEndpointRouteBuilder MapLonghaulDownloads(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(DownloadLinks.PathPrefix + "/{id}/{name}", [HttpMethodsGet, HttpMethodsHead],
            (Microsoft.AspNetCore.Http.HttpContext context, string id, string name) => DownloadEndpoint.GetAsync(context, id, name))
            .WithMetadata(Longhaul.AspNetCore.OpenApi.ApiDocs.Download);
        return endpoints;
    }

    private const string HttpMethodsGet = "GET";
    private const string HttpMethodsHead = "HEAD";
}
