using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Longhaul.Webhooks;

/// <summary>Registers completion webhooks; <c>AddLonghaul</c> calls it.</summary>
internal static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddLonghaulWebhooks(this IServiceCollection services, IConfiguration? configuration)
    {
        // Once per collection: AddLonghaul may be called more than once.
        if (services.Any(d => d.ServiceType == typeof(WebhookSender))) return services;
        var options = services.AddOptions<WebhookOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(WebhookOptions.SectionName));
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        options.ValidateOnStart();
        services.TryAddSingleton<CallbackUrlRules>();
        services.TryAddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookMetrics>();
        services.AddHostedService<WebhookDeliveryService>();
        return services;
    }
}
