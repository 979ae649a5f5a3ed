using System.CommandLine;
using Longhaul.Contracts;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul list [--status S] [--kind K] [--limit N]</c>: this API key's operations, newest first.</summary>
internal static class ListCommand
{
    public static Command Create(ClientConnection connection)
    {
        var status = new Option<string?>("--status") { Description = "Only operations in this status: pending, running, succeeded, failed or cancelled." };
        status.AcceptOnlyFromAmong("pending", "running", "succeeded", "failed", "cancelled");
        var kind = new Option<string?>("--kind") { Description = "Only operations of this kind." };
        var limit = new Option<int>("--limit") { Description = "At most this many (default 20).", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--limit must be at least 1.");
        });
        var command = new Command("list", "List operations, newest first.") { status, kind, limit };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (client, mode, ct) =>
        {
            OperationStatus? filter = OperationStatusNames.TryParse(result.GetValue(status), out var parsed) ? parsed : null;
            var max = result.GetValue(limit);
            var operations = new List<OperationResource>();
            string? token = null;
            do
            {
                var page = await client.ListAsync(filter, result.GetValue(kind), Math.Min(max - operations.Count, 100), token, ct).ConfigureAwait(false);
                operations.AddRange(page.Operations.Take(max - operations.Count));
                token = page.NextPageToken;
            }
            while (token is not null && operations.Count < max);
            OperationPrinter.WriteList(operations, mode);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
