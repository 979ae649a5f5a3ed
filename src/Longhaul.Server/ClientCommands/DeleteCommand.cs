using System.CommandLine;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul delete ID</c>: forgets a finished operation with its events and files.</summary>
internal static class DeleteCommand
{
    public static Command Create(ClientConnection connection)
    {
        var (command, id) = connection.OnOperation("delete", "Delete a finished operation with its events and files; exit 6 while it is not finished.");
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (client, mode, ct) =>
        {
            var operationId = result.GetValue(id)!;
            await client.DeleteAsync(operationId, ct).ConfigureAwait(false);
            Console.WriteLine(mode == OutputMode.Json ? $"{{\"id\":\"{System.Text.Json.JsonEncodedText.Encode(operationId)}\",\"deleted\":true}}" : $"{operationId}\tdeleted");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
