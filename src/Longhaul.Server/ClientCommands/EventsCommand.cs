using System.CommandLine;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul events ID [--after N]</c>: the operation's event log as JSON lines, followed until it finishes.</summary>
internal static class EventsCommand
{
    public static Command Create(ClientConnection connection)
    {
        var id = new Argument<string>("id") { Description = "The operation id (op_…)." };
        var after = new Option<long?>("--after") { Description = "Only the events after this id (0 for all); default: a snapshot, then what follows." };
        var command = new Command("events", "Print an operation's events, one JSON object a line ({\"id\",\"event\",\"data\"}), until it finishes.") { id, after };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => connection.RunAsync(result,
            (client, _, ct) => OperationWatcher.WriteEventsAsync(client, result.GetValue(id)!, result.GetValue(after), ct), cancellationToken));
        return command;
    }
}
