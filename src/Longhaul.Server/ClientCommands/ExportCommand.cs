using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.Client;
using Longhaul.Contracts;

namespace Longhaul.Server.ClientCommands;

/// <summary>
/// <c>longhaul export --source S --table T … [-o PATH]</c>: starts the <c>export</c> kind, follows it as <c>watch</c>
/// does, then saves its file (resumable, verified; <see cref="FileSaver"/>). While the file is not saved, the operation
/// is remembered in <c>PATH.longhaul-export</c>, so the same command run again after a kill continues that export's
/// download instead of starting another export.
/// </summary>
internal static class ExportCommand
{
    /// <summary><c>-o PATH</c> (as curl's): the file to write; a directory, or <c>-</c> for stdout.</summary>
    public static Option<string?> OutputPathOption() => new("-o", "--output-file")
    {
        HelpName = "PATH",
        Description = "Where to save the file (default: the file's own name, e.g. export.csv, here); a directory; - for stdout.",
    };

    public static Command Create(ClientConnection connection)
    {
        var inputs = new ExportInputOptions();
        var output = OutputPathOption();
        var force = new Option<bool>("--force") { Description = "Replace a file already at PATH." };
        var key = new Option<string?>("--idempotency-key") { Description = "Running the command again with the same key returns the same export (default: a new key, reused by this command's own retries)." };
        var noWatch = new Option<bool>("--no-watch") { Description = "Print the started operation and exit (download it later with longhaul download)." };
        var command = new Command("export", "Export a table or named query of a configured source to CSV, NDJSON or Parquet: starts the export, follows it, and downloads the file (resumable, SHA-256 verified).");
        foreach (var option in inputs.All) command.Options.Add(option);
        command.Options.Add(output);
        command.Options.Add(force);
        command.Options.Add(key);
        command.Options.Add(noWatch);
        command.Validators.Add(r =>
        {
            if ((r.GetValue(inputs.Table) is null) == (r.GetValue(inputs.Query) is null)) r.AddError("Give --table or --query (one of them).");
        });
        connection.AddTo(command, shortOutput: false);
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (client, mode, ct) =>
        {
            if (inputs.Build(result) is not { } input) return ExitCodes.Usage;
            var path = FileSaver.Target(result.GetValue(output), ExportInputOptions.FileName(input));
            var watch = !result.GetValue(noWatch);
            if (watch && !await FileSaver.MayWriteAsync(path, result.GetValue(force)).ConfigureAwait(false)) return ExitCodes.Usage;
            // With -o - stdout is the file: every message, the watch's included, goes to stderr.
            if (path == "-") Console.SetOut(Console.Error);
            var inputText = input.ToJsonString();
            var state = path == "-" || !watch ? null : path + ".longhaul-export";
            var id = await RememberedAsync(client, state, inputText, mode, ct).ConfigureAwait(false);
            if (id is null)
            {
                using var document = JsonDocument.Parse(inputText);
                var started = await client.StartAsync(new StartOperationRequest { Kind = "export", Input = document.RootElement.Clone() }, result.GetValue(key), ct).ConfigureAwait(false);
                id = started.Id;
                if (!watch)
                {
                    OperationPrinter.Write(started.Resource, mode);
                    return OperationPrinter.ExitCode(started.Resource);
                }
                if (state is not null) await File.WriteAllTextAsync(state, new JsonObject { ["operation"] = id, ["input"] = inputText }.ToJsonString(), ct).ConfigureAwait(false);
                if (mode != OutputMode.Json) await Console.Error.WriteLineAsync($"Started {id}{(started.WasReplayed ? " (replayed)" : "")}").ConfigureAwait(false);
            }
            var operation = mode == OutputMode.Json
                ? await client.WaitUntilDoneAsync(id, ct).ConfigureAwait(false)
                : await FollowAsync(client, id, mode, ct).ConfigureAwait(false);
            if (operation.Status != OperationStatus.Succeeded)
            {
                if (mode == OutputMode.Json) OperationPrinter.Write(operation, mode);
                if (state is not null) File.Delete(state);
                return OperationPrinter.ExitCode(operation);
            }
            if (await FileSaver.ChooseAsync(client, operation, null).ConfigureAwait(false) is not { } file) return ExitCodes.Failed;
            var exit = await FileSaver.SaveAsync(client, operation, file, path, result.GetValue(force), mode, ct).ConfigureAwait(false);
            // Saved; or the file is out of reach (an expired link the key cannot replace): a run again starts a new export.
            if (state is not null && exit is ExitCodes.Success or ExitCodes.NotFound) File.Delete(state);
            return exit;
        }, cancellationToken));
        return command;
    }

    private static async Task<OperationResource> FollowAsync(LonghaulClient client, string id, OutputMode mode, CancellationToken cancellationToken)
    {
        await OperationWatcher.WatchAsync(client, id, mode, cancellationToken).ConfigureAwait(false);
        return await client.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The export a killed run of the same command (same input, same PATH) started, while the server still has it.</summary>
    private static async Task<string?> RememberedAsync(LonghaulClient client, string? state, string inputText, OutputMode mode, CancellationToken cancellationToken)
    {
        if (state is null || !File.Exists(state)) return null;
        try
        {
            var remembered = JsonNode.Parse(await File.ReadAllTextAsync(state, cancellationToken).ConfigureAwait(false));
            if ((string?)remembered?["input"] != inputText || (string?)remembered?["operation"] is not { } id) return null;
            var operation = await client.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (operation.Status is OperationStatus.Failed or OperationStatus.Cancelled) return null;
            if (mode != OutputMode.Json) await Console.Error.WriteLineAsync($"Continuing {id} (remembered in {state})").ConfigureAwait(false);
            return id;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or LonghaulApiException { StatusCode: System.Net.HttpStatusCode.NotFound })
        {
            return null;
        }
    }
}
