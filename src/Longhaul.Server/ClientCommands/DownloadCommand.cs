using System.CommandLine;
using Longhaul.Contracts;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul download ID [FILE_NAME] [-o PATH]</c>: saves a finished operation's file, resumable and verified.</summary>
internal static class DownloadCommand
{
    public static Command Create(ClientConnection connection)
    {
        var id = new Argument<string>("id") { Description = "The operation id (op_…)." };
        var name = new Argument<string?>("file-name") { Description = "The file (default: the export's file, or the operation's only file).", Arity = ArgumentArity.ZeroOrOne };
        var output = ExportCommand.OutputPathOption();
        var force = new Option<bool>("--force") { Description = "Replace a file already at PATH." };
        var command = new Command("download", "Download a finished operation's file (an export's, a large result body): resumable (run it again after a break), its length and SHA-256 verified.")
        {
            id, name, output, force,
        };
        connection.AddTo(command, shortOutput: false);
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (client, mode, ct) =>
        {
            var operation = await client.GetAsync(result.GetValue(id)!, ct).ConfigureAwait(false);
            if (!operation.Done)
            {
                await Console.Error.WriteLineAsync($"longhaul: {operation.Id} is {operation.Status.ToWire()}; its file is there once it has succeeded (longhaul watch {operation.Id}).").ConfigureAwait(false);
                return ExitCodes.Conflict;
            }
            if (await FileSaver.ChooseAsync(client, operation, result.GetValue(name)).ConfigureAwait(false) is not { } file) return ExitCodes.Usage;
            var path = FileSaver.Target(result.GetValue(output), file.Name);
            if (!await FileSaver.MayWriteAsync(path, result.GetValue(force)).ConfigureAwait(false)) return ExitCodes.Usage;
            return await FileSaver.SaveAsync(client, operation, file, path, result.GetValue(force), mode, ct).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
