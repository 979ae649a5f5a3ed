using System.CommandLine;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul events ID [--after N]</c>: the operation's event log as JSON lines, followed until it finishes.</summary>
internal static class EventsCommand
{
    public static Command Create(ClientConnection connection)
    {
        var after = new Option<long?>("--after") { Description = "Only the events after this id (0 for all); default: a snapshot, then what follows." };
        var (command, id) = connection.OnOperation("events", "Print an operation's events, one JSON object a line ({\"id\",\"event\",\"data\"}), until it finishes.");
        command.Options.Add(after);
        command.SetAction((result, cancellationToken) => connection.RunAsync(result,
            (client, _, ct) => OperationWatcher.WriteEventsAsync(client, result.GetValue(id)!, result.GetValue(after), ct), cancellationToken));
        return command;
    }
}
