using System.CommandLine;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul watch ID</c>: follows an operation live until it finishes; the exit code is its outcome.</summary>
internal static class WatchCommand
{
    public static Command Create(ClientConnection connection)
    {
        var (command, id) = connection.OnOperation("watch", "Follow an operation live (progress bar, streamed output) until it finishes; reconnects by itself.");
        command.SetAction((result, cancellationToken) => connection.RunAsync(result,
            (client, mode, ct) => OperationWatcher.WatchAsync(client, result.GetValue(id)!, mode, ct), cancellationToken));
        return command;
    }
}
