using System.CommandLine;
using Longhaul.Postgres;
using Longhaul.Sqlite;
using Longhaul.Storage;
using Microsoft.Extensions.Configuration;

namespace Longhaul.Server;

/// <summary>The store options of the maintenance commands (keys, migrate): <c>--store</c>, <c>--connection</c>, <c>--data-dir</c>.</summary>
internal sealed class StoreArguments
{
    private readonly Option<string?> _store = CommonOptions.Store();
    private readonly Option<string?> _connection = CommonOptions.Connection();
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public void AddTo(Command command)
    {
        command.Options.Add(_store);
        command.Options.Add(_connection);
        command.Options.Add(_dataDir);
    }

    /// <summary>Opens and migrates the selected store, from the same settings as <c>serve</c>.</summary>
    public async Task<OpenedStore> OpenAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var selection = StoreSelection.Resolve(config, result.GetValue(_store), result.GetValue(_connection), result.GetValue(_dataDir));
        IOperationStore store = selection.Postgres is { } postgres
            ? new PostgresOperationStore(postgres, new InProcessStoreNotifier())
            : new SqliteOperationStore(selection.DatabasePath!, TimeProvider.System, new InProcessStoreNotifier());
        var opened = new OpenedStore(store, selection.Describe());
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return opened;
        }
        catch
        {
            await opened.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
