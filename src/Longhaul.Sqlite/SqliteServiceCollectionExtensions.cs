using Longhaul.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Sqlite;

/// <summary>Registers the SQLite store.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>Uses the embedded SQLite store at <paramref name="databasePath"/> (created when missing).</summary>
    public static IServiceCollection AddLonghaulSqlite(this IServiceCollection services, string databasePath)
    {
        services.AddSingleton(sp => new SqliteOperationStore(databasePath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IStoreNotifier>()));
        services.AddSingleton<IOperationStore>(sp => sp.GetRequiredService<SqliteOperationStore>());
        return services;
    }

    /// <summary>Uses the embedded SQLite store at <paramref name="databasePath"/> (created when missing): one node, no other process shares it.</summary>
    public static LonghaulBuilder UseSqlite(this LonghaulBuilder builder, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.UseStore("sqlite", services => services.AddLonghaulSqlite(databasePath));
    }
}
