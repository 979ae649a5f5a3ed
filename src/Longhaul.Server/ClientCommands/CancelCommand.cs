using System.CommandLine;
using Longhaul.Client;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul cancel ID</c>: asks an operation to stop and says whether it is cancelled or still stopping.</summary>
internal static class CancelCommand
{
    public static Command Create(ClientConnection connection)
    {
        var (command, id) = connection.OnOperation("cancel", "Cancel an operation: 'cancelled', or 'stopping' while its handler winds down; exit 6 when it had already finished.");
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (client, mode, ct) =>
        {
            var operation = await client.GetOperationAsync(result.GetValue(id)!, ct).ConfigureAwait(false);
            var outcome = await operation.CancelAsync(ct).ConfigureAwait(false);
            var text = outcome switch
            {
                CancelOutcome.Cancelled => "cancelled",
                CancelOutcome.Stopping => "stopping",
                _ => "already finished",
            };
            if (mode == OutputMode.Json) OperationPrinter.Write(operation.Resource, mode);
            else Console.WriteLine($"{operation.Id}\t{text}{(outcome == CancelOutcome.AlreadyFinished ? $" ({operation.Status.ToString().ToLowerInvariant()})" : "")}");
            return outcome == CancelOutcome.AlreadyFinished ? ExitCodes.Conflict : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
