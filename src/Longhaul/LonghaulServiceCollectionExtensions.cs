using Longhaul.Egress;
using Longhaul.Events;
using Longhaul.Execution;
using Longhaul.Kinds;
using Longhaul.Maintenance;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Longhaul.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Longhaul;

/// <summary>Registers the Longhaul engine and handlers in a service collection.</summary>
public static class LonghaulServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Longhaul engine (workers, maintenance, the built-in <c>sleep</c> kind, and <see cref="IOperationStarter"/> to start operations from code), bound to the <c>Longhaul</c>
    /// configuration section, and returns the builder that composes the rest: a store (<c>UseSqlite</c> or
    /// <c>UsePostgres</c>; an app that chooses none fails at start-up with a message that says so), kinds, the HTTP API.
    /// </summary>
    public static LonghaulBuilder AddLonghaul(this IServiceCollection services, IConfiguration? configuration = null, Action<LonghaulEngineOptions>? configure = null)
    {
        var options = services.AddOptions<LonghaulEngineOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(LonghaulEngineOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IValidateOptions<LonghaulEngineOptions>, LonghaulOptionsValidator>();
        services.AddSingleton<IValidateOptions<KindSettingsValidator.Checked>, KindSettingsValidator>();
        services.AddOptions<KindSettingsValidator.Checked>().ValidateOnStart();
        options.ValidateOnStart();
        AddEgressGuard(services, configuration);

        services.TryAddSingleton(TimeProvider.System);
        // Registered first and only when no store is: any store registered later wins, so this answers only when none was chosen.
        services.TryAddSingleton<IOperationStore>(_ => throw new InvalidOperationException(NoStoreMessage));
        services.TryAddSingleton<IStoreNotifier, InProcessStoreNotifier>();
        services.TryAddSingleton<IMaintenanceLeadership, SingleNodeLeadership>();
        services.TryAddSingleton<IRetryPolicy, ExponentialBackoffRetryPolicy>();
        services.TryAddSingleton<OperationHandlerRegistry>();
        services.TryAddSingleton<KindSettingsCatalog>();
        services.TryAddSingleton<OperationStartRules>();
        services.TryAddSingleton<IOperationStarter, StoreOperationStarter>();
        services.TryAddSingleton<OperationSignals>();
        services.TryAddSingleton<StoreWarnings>();
        services.TryAddSingleton<LonghaulMetrics>();
        services.TryAddSingleton<Tenancy.TenantLimitMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperationHandler, SleepHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperationHandler, Kinds.Bulk.BulkHandler>());
        services.TryAddSingleton<ReapedAttemptTelemetry>();

        // Order matters: the schema and lease recovery come before workers start claiming.
        services.AddHostedService<StoreInitializer>();
        services.AddSingleton<OperationEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<OperationEngine>());
        services.AddHostedService<MaintenanceService>();
        services.AddHostedService<QueueGauges>();
        services.AddLonghaulWebhooks(configuration);
        services.AddOptions<HostOptions>().Configure<IOptions<LonghaulEngineOptions>>((host, o) =>
        {
            var needed = o.Value.ShutdownGracePeriod + TimeSpan.FromSeconds(15);
            if (host.ShutdownTimeout < needed) host.ShutdownTimeout = needed;
        });
        AddTenantLimits(services, configuration);
        return new LonghaulBuilder(services, configuration);
    }

    /// <summary>
    /// Registers a handler for its kind: an <see cref="OperationHandler{TInput, TResult}"/> or any
    /// <see cref="IOperationHandler"/>. Its <see cref="IOperationHandler.Defaults"/> are read and validated at start-up.
    /// </summary>
    public static IServiceCollection AddOperationHandler<THandler>(this IServiceCollection services)
        where THandler : class, IOperationHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperationHandler, THandler>());
        return services;
    }

    internal const string NoStoreMessage = "Longhaul has no store: choose one with AddLonghaul(…).UseSqlite(path) or .UsePostgres(options) (or AddLonghaulSqlite / AddLonghaulPostgres).";

    private static void AddEgressGuard(IServiceCollection services, IConfiguration? configuration)
    {
        // Once per collection: binding the section twice would list every allowed network twice.
        if (services.Any(d => d.ServiceType == typeof(EgressGuard))) return;
        var egress = services.AddOptions<EgressGuardOptions>();
        if (configuration is not null) egress.Bind(configuration.GetSection(EgressGuardOptions.SectionName));
        services.AddSingleton<IValidateOptions<EgressGuardOptions>, EgressGuardOptionsValidator>();
        egress.ValidateOnStart();
        services.AddSingleton(sp => new EgressGuard(sp.GetRequiredService<IOptions<EgressGuardOptions>>().Value));
    }

    private static void AddTenantLimits(IServiceCollection services, IConfiguration? configuration)
    {
        var tenants = services.AddOptions<Tenancy.TenantLimitsOptions>();
        if (configuration is not null) tenants.Bind(configuration.GetSection(Tenancy.TenantLimitsOptions.SectionName));
        services.AddSingleton<IValidateOptions<Tenancy.TenantLimitsOptions>, Tenancy.TenantLimitsOptionsValidator>();
        tenants.ValidateOnStart();
        services.TryAddSingleton<Tenancy.ITenantLimits, Tenancy.StoreTenantLimits>();
    }

    private sealed class LonghaulOptionsValidator : IValidateOptions<LonghaulEngineOptions>
    {
        public ValidateOptionsResult Validate(string? name, LonghaulEngineOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
