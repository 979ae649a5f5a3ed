using Longhaul.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Longhaul.Postgres;

/// <summary>Registers the PostgreSQL store with its notifier and maintenance leader.</summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Uses the PostgreSQL store: shared by many nodes, with one maintenance leader at a time and, unless
    /// <see cref="PostgresStoreOptions.Notifications"/> is off, LISTEN/NOTIFY wake-ups between nodes.
    /// </summary>
    public static IServiceCollection AddLonghaulPostgres(this IServiceCollection services, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new PostgresOperationStore(options, sp.GetRequiredService<IStoreNotifier>()));
        services.AddSingleton<IOperationStore>(sp => sp.GetRequiredService<PostgresOperationStore>());
        services.TryAddSingleton<StoreWarnings>();
        // First of all hosted services, before this node opens connections of its own: what it counts is the others'.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => new PostgresConnectionBudgetCheck(
            sp.GetRequiredService<PostgresOperationStore>(), sp.GetRequiredService<StoreWarnings>(), sp.GetRequiredService<ILogger<PostgresConnectionBudgetCheck>>())));
        services.RemoveAll<IMaintenanceLeadership>();
        services.AddSingleton<IMaintenanceLeadership>(sp => new PostgresMaintenanceLeadership(options, sp.GetRequiredService<ILogger<PostgresMaintenanceLeadership>>()));
        if (options.Notifications)
        {
            services.RemoveAll<IStoreNotifier>();
            services.AddSingleton(sp => new PostgresStoreNotifier(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresStoreNotifier>>()));
            services.AddSingleton<IStoreNotifier>(sp => sp.GetRequiredService<PostgresStoreNotifier>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PostgresStoreNotifier>());
        }
        return services;
    }

    /// <summary>
    /// Uses the PostgreSQL store (see <see cref="AddLonghaulPostgres"/>): shared by every node on the same
    /// <see cref="PostgresStoreOptions.ConnectionString"/> and <see cref="PostgresStoreOptions.Schema"/>.
    /// </summary>
    public static LonghaulBuilder UsePostgres(this LonghaulBuilder builder, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.UseStore("postgres", services => services.AddLonghaulPostgres(options));
    }
}
