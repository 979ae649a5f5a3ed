using Longhaul.Kinds.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Longhaul;

/// <summary>Registers the built-in <c>http</c> kind.</summary>
public static class LonghaulHttpServiceCollectionExtensions
{
    /// <summary>
    /// Adds the built-in kind <c>http</c> with the upstreams of <c>Longhaul:Upstreams</c>, validated at start-up.
    /// Without upstreams the kind is still listed, and every input is refused with a field error.
    /// </summary>
    public static IServiceCollection AddLonghaulHttpKind(this IServiceCollection services, IConfiguration? configuration = null, Action<HttpKindOptions>? configure = null)
    {
        var options = services.AddOptions<HttpKindOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(LonghaulEngineOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IValidateOptions<HttpKindOptions>, HttpKindOptionsValidator>();
        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UpstreamRegistry>();
        services.TryAddSingleton<HttpKindMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperationHandler, HttpHandler>());
        return services;
    }
}
