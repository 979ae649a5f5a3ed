using Longhaul.Sqlite;
using Longhaul.Storage;
using Microsoft.Extensions.Configuration;

namespace Longhaul.Server;

/// <summary>Opens the store for the maintenance commands (keys, migrate), from the same settings as <c>serve</c>.</summary>
internal static class StoreFactory
{
    public static async Task<SqliteOperationStore> OpenAsync(string? dataDirOption, CancellationToken cancellationToken)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var dataDir = Path.GetFullPath(dataDirOption ?? config["Longhaul:DataDir"] ?? ServeSettings.DefaultDataDir);
        var store = new SqliteOperationStore(Path.Combine(dataDir, ServeSettings.DatabaseFileName), TimeProvider.System, new InProcessStoreNotifier());
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }
}
