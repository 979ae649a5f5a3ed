using System.CommandLine;

namespace Longhaul.Server;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var command = new Command("migrate", "Create or upgrade the store's schema, then exit (serve does this on start too).") { dataDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var store = await StoreFactory.OpenAsync(result.GetValue(dataDir), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Schema is current: {store.DatabasePath}");
            return 0;
        });
        return command;
    }
}
