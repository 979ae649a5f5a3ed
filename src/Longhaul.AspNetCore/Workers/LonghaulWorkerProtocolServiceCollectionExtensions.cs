using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

/// <summary>Registers the worker protocol's services and the remote kinds of configuration.</summary>
public static class LonghaulWorkerProtocolServiceCollectionExtensions
{
    /// <summary>
    /// Adds the worker protocol (lease tokens, the worker directory) and one kind per child of
    /// <c>Longhaul:RemoteKinds</c> in <paramref name="configuration"/>, each loaded (its schema file read) at start-up;
    /// a setting that is wrong fails start-up with a message naming it. Called by <c>AddApi</c>.
    /// </summary>
    public static IServiceCollection AddLonghaulWorkerProtocol(this IServiceCollection services, IConfiguration? configuration)
    {
        services.TryAddSingleton<LeaseTokens>();
        services.TryAddSingleton<RemoteAttemptTelemetry>();
        services.TryAddSingleton<WorkerDirectory>();
        services.TryAddSingleton<RegisteredKinds>();
        // Once per collection: AddApi may be called twice, and each remote kind must be registered once.
        if (configuration is null || services.Any(d => d.ServiceType == typeof(RemoteKindsRegistered))) return services;
        services.AddSingleton<RemoteKindsRegistered>();
        var section = configuration.GetSection(RemoteKindOptions.SectionName);
        foreach (var child in section.GetChildren())
        {
            var name = child.Key;
            services.AddSingleton<IOperationHandler>(sp =>
            {
                var options = new RemoteKindOptions();
                child.Bind(options);
                var errors = new List<string>();
                var handler = RemoteKindLoader.Load(name, options, sp.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value, errors);
                return errors.Count == 0 ? handler : throw new OptionsValidationException(RemoteKindOptions.SectionName, typeof(RemoteKindOptions), errors);
            });
        }
        return services;
    }

    /// <summary>Marks a service collection whose remote kinds are registered.</summary>
    private sealed class RemoteKindsRegistered;
}
