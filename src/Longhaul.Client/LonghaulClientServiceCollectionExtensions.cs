using Longhaul.Client;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="LonghaulClient"/> in a service collection.</summary>
public static class LonghaulClientServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the client gets from <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Longhaul";

    /// <summary>
    /// Registers a transient <see cref="LonghaulClient"/> whose <see cref="HttpClient"/> comes from
    /// <see cref="IHttpClientFactory"/> (named <see cref="HttpClientName"/>), configured by <paramref name="configure"/>
    /// (set at least <see cref="LonghaulClientOptions.BaseAddress"/>). Returns the HTTP client's builder, to add handlers.
    /// The options are validated when the first client is made.
    /// </summary>
    public static IHttpClientBuilder AddLonghaulClient(this IServiceCollection services, Action<LonghaulClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<LonghaulClientOptions>().Configure(configure);
        services.AddTransient(provider =>
        {
            var options = provider.GetRequiredService<IOptions<LonghaulClientOptions>>().Value;
            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new LonghaulClient(http, options);
        });
        return services.AddHttpClient(HttpClientName, (provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<LonghaulClientOptions>>().Value;
            if (options.BaseAddress is { } address) http.BaseAddress = address;
        });
    }
}
