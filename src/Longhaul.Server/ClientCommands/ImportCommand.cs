using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.Contracts;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul import FILE|UPLOAD_ID --target T --table X …</c>: uploads the file when given one (resumable), starts the <c>import</c> kind and follows it.</summary>
internal static class ImportCommand
{
    public static Command Create(ClientConnection connection)
    {
        var source = new Argument<string>("source") { Description = "A file to upload first, or the id of a finished upload (up_…)." };
        var target = new Option<string>("--target") { Description = "The import target the server's operator configured.", Required = true };
        var table = new Option<string>("--table") { Description = "A table the target allows.", Required = true };
        var format = new Option<string>("--format") { Description = "csv or ndjson (default: ndjson for .ndjson/.jsonl files, else csv)." };
        var map = new Option<string[]>("--map") { Description = "source=column; repeatable (default: same names).", AllowMultipleArgumentsPerToken = false };
        var onError = new Option<string>("--on-error") { Description = "fail (check first, import nothing on a bad row; default) or skip." };
        var maxErrors = new Option<long?>("--max-errors") { Description = "With skip: fail after this many bad rows (default 1000)." };
        var chunkRows = new Option<int?>("--chunk-rows") { Description = "Rows per transaction (default 50000)." };
        var delimiter = new Option<string?>("--delimiter") { Description = "CSV field separator (default ,)." };
        var noHeader = new Option<bool>("--no-header") { Description = "The CSV has no header: --map uses column numbers (1=id)." };
        var allOrNothing = new Option<bool>("--all-or-nothing") { Description = "Stage the rows and add them in one transaction at the end." };
        var noWatch = new Option<bool>("--no-watch") { Description = "Print the started operation and exit instead of following it." };
        var command = new Command("import", "Import a CSV or NDJSON file into a table of a configured target, exactly once; follows the operation until it finishes.")
        {
            source, target, table, format, map, onError, maxErrors, chunkRows, delimiter, noHeader, allOrNothing, noWatch,
        };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (client, uploader, mode, ct) =>
        {
            var given = result.GetValue(source)!;
            var upload = given;
            if (File.Exists(given))
            {
                var file = new FileInfo(given);
                upload = (await uploader.UploadAsync(file.FullName, UploadCommand.StateFile(file), UploadCommand.Reporter(mode), ct).ConfigureAwait(false)).Id;
            }
            else if (!given.StartsWith("up_", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"longhaul: '{given}' is neither a file nor an upload id (up_…).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var input = new JsonObject
            {
                ["upload"] = upload,
                ["target"] = result.GetValue(target),
                ["table"] = result.GetValue(table),
                ["format"] = result.GetValue(format) ?? (given.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || given.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? "ndjson" : "csv"),
            };
            if (result.GetValue(onError) is { } e) input["on_error"] = e;
            if (result.GetValue(maxErrors) is { } m) input["max_errors"] = m;
            if (result.GetValue(chunkRows) is { } c) input["chunk_rows"] = c;
            if (result.GetValue(allOrNothing)) input["all_or_nothing"] = true;
            if (result.GetValue(delimiter) is not null || result.GetValue(noHeader))
                input["csv"] = new JsonObject { ["header"] = !result.GetValue(noHeader), ["delimiter"] = result.GetValue(delimiter) ?? "," };
            var pairs = result.GetValue(map) ?? [];
            if (pairs.Length > 0)
            {
                var mapping = new JsonObject();
                foreach (var pair in pairs)
                {
                    if (pair.Split('=', 2) is not [{ Length: > 0 } from, { Length: > 0 } to])
                    {
                        await Console.Error.WriteLineAsync($"longhaul: --map '{pair}' is not source=column.").ConfigureAwait(false);
                        return ExitCodes.Usage;
                    }
                    mapping[from] = to;
                }
                input["mapping"] = mapping;
            }
            using var document = JsonDocument.Parse(input.ToJsonString());
            var operation = await client.StartAsync(new StartOperationRequest { Kind = "import", Input = document.RootElement.Clone() }, null, ct).ConfigureAwait(false);
            if (result.GetValue(noWatch))
            {
                OperationPrinter.Write(operation.Resource, mode);
                return OperationPrinter.ExitCode(operation.Resource);
            }
            if (mode != OutputMode.Json) await Console.Error.WriteLineAsync($"Started {operation.Id} (import of {upload})").ConfigureAwait(false);
            return await OperationWatcher.WatchAsync(client, operation.Id, mode, ct).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
