using System.CommandLine;

namespace Longhaul.Server;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var store = new StoreArguments();
        var command = new Command("migrate", "Create or upgrade the store's schema, then exit (serve does this on start too).");
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                await using var opened = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"Schema is current: {opened.Description}");
                return 0;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
            {
                await Console.Error.WriteLineAsync($"longhaul: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
