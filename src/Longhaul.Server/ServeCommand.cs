using System.CommandLine;
using Microsoft.AspNetCore.Builder;

namespace Longhaul.Server;

internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on, ';'-separated (default {ServeSettings.DefaultUrls}; or Longhaul:Urls)." };
        var dataDir = CommonOptions.DataDir();
        var store = CommonOptions.Store();
        var connection = CommonOptions.Connection();
        var role = new Option<string?>("--role") { Description = "all (default), api (the API; never claims work) or worker (workers; only /healthz, /readyz and /metrics); or Longhaul:Role." };
        var noMigrate = new Option<bool>("--no-migrate") { Description = "Do not apply PostgreSQL migrations on start (or Longhaul:Postgres:MigrateOnStart=false)." };
        var command = new Command("serve", "Run the API and the workers (or one of them, with --role).") { urls, dataDir, store, connection, role, noMigrate };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new ServeSettings
            {
                Urls = result.GetValue(urls),
                DataDir = result.GetValue(dataDir),
                Store = result.GetValue(store),
                Connection = result.GetValue(connection),
                Role = result.GetValue(role),
                NoMigrate = result.GetValue(noMigrate),
            };
            try
            {
                var app = LonghaulServer.Build(LonghaulServer.CreateBuilder(settings));
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException or IOException or System.Data.Common.DbException)
            {
                await Console.Error.WriteLineAsync($"longhaul: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
