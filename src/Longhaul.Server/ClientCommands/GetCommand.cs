using System.CommandLine;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul get ID</c>: one operation; the exit code follows its status.</summary>
internal static class GetCommand
{
    public static Command Create(ClientConnection connection)
    {
        var (command, id) = connection.OnOperation("get", "Show an operation.");
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (client, mode, ct) =>
        {
            var operation = await client.GetAsync(result.GetValue(id)!, ct).ConfigureAwait(false);
            OperationPrinter.Write(operation, mode);
            return OperationPrinter.ExitCode(operation);
        }, cancellationToken));
        return command;
    }
}
