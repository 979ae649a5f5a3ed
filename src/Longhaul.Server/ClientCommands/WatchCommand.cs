using System.CommandLine;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul watch ID</c>: follows an operation live until it finishes; the exit code is its outcome.</summary>
internal static class WatchCommand
{
    public static Command Create(ClientConnection connection)
    {
        var id = new Argument<string>("id") { Description = "The operation id (op_…)." };
        var command = new Command("watch", "Follow an operation live (progress bar, streamed output) until it finishes; reconnects by itself.") { id };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => connection.RunAsync(result,
            (client, mode, ct) => OperationWatcher.WatchAsync(client, result.GetValue(id)!, mode, ct), cancellationToken));
        return command;
    }
}
