using System.CommandLine;
using Microsoft.AspNetCore.Builder;

namespace Longhaul.Server;

internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on, ';'-separated (default {ServeSettings.DefaultUrls}; or Longhaul:Urls)." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("serve", "Run the API and the workers in one process.") { urls, dataDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new ServeSettings { Urls = result.GetValue(urls), DataDir = result.GetValue(dataDir) };
            try
            {
                var app = LonghaulServer.Build(LonghaulServer.CreateBuilder(settings));
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException or IOException)
            {
                await Console.Error.WriteLineAsync($"longhaul: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
