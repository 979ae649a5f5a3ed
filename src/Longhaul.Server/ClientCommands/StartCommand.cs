using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.Client;
using Longhaul.Contracts;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul start KIND --input … [--wait|--watch]</c>: starts an operation (with an Idempotency-Key), optionally waits for it or follows it.</summary>
internal static class StartCommand
{
    public static Command Create(ClientConnection connection)
    {
        var kind = new Argument<string>("kind") { Description = "The kind to run (see GET /v1/kinds), e.g. sleep." };
        var input = new Option<string?>("--input", "-i") { Description = "The input: JSON ('{\"seconds\":5}'), @file.json, or @- for stdin. Default {}." };
        var wait = new Option<bool>("--wait") { Description = "Wait until it finishes; print the final operation; exit with its outcome." };
        var watch = new Option<bool>("--watch") { Description = "Follow it live (progress bar, streamed output) until it finishes; exit with its outcome." };
        var key = new Option<string?>("--idempotency-key") { Description = "Running the command again with the same key returns the same operation (default: a new key, reused by this command's own retries)." };
        var metadata = new Option<string[]>("--metadata", "-m") { Description = "key=value stored and echoed on the operation; repeatable.", AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<double?>("--timeout") { Description = "Hard deadline in seconds (default: the kind's)." };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts allowed in all (default: the kind's)." };
        var priority = new Option<int?>("--priority") { Description = "-100 to 100; higher runs first (default 0)." };
        var callback = new Option<string?>("--callback-url") { Description = "POST the finished operation to this URL, signed (completion webhook)." };
        var command = new Command("start", "Start an operation.") { kind, input, wait, watch, key, metadata, timeout, maxAttempts, priority, callback };
        connection.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(wait) && r.GetValue(watch)) r.AddError("--wait and --watch cannot be used together.");
        });
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (client, mode, ct) =>
        {
            if (await ReadInputAsync(result.GetValue(input), ct).ConfigureAwait(false) is not { } body
                || !TryMetadata(result.GetValue(metadata) ?? [], out var meta))
            {
                return ExitCodes.Usage;
            }
            var request = new StartOperationRequest
            {
                Kind = result.GetValue(kind),
                Input = body,
                Metadata = meta,
                CallbackUrl = result.GetValue(callback),
                Options = result.GetValue(timeout) is null && result.GetValue(maxAttempts) is null && result.GetValue(priority) is null ? null
                    : new OperationOptions { TimeoutSeconds = result.GetValue(timeout), MaxAttempts = result.GetValue(maxAttempts), Priority = result.GetValue(priority) },
            };
            var operation = await client.StartAsync(request, result.GetValue(key), ct).ConfigureAwait(false);
            if (result.GetValue(watch))
            {
                if (mode != OutputMode.Json) await Console.Error.WriteLineAsync($"Started {operation.Id}{(operation.WasReplayed ? " (replayed)" : "")}").ConfigureAwait(false);
                return await OperationWatcher.WatchAsync(client, operation.Id, mode, ct).ConfigureAwait(false);
            }
            if (result.GetValue(wait))
            {
                try
                {
                    await operation.WaitForCompletionAsync(ct).ConfigureAwait(false);
                }
                catch (LonghaulOperationException)
                {
                    // Failed or cancelled: printed below, and the exit code says which.
                }
            }
            OperationPrinter.Write(operation.Resource, mode);
            return OperationPrinter.ExitCode(operation.Resource);
        }, cancellationToken));
        return command;
    }

    private static async Task<JsonElement?> ReadInputAsync(string? value, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = value switch
            {
                null => "{}",
                "@-" => await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false),
                ['@', .. var path] => await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false),
                _ => value,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"longhaul: --input {value}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            await Console.Error.WriteLineAsync($"longhaul: --input is not JSON: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>The <c>key=value</c> pairs as a JSON object of strings (null when none); false (after a message) when one has no <c>=</c>.</summary>
    private static bool TryMetadata(string[] pairs, out JsonElement? metadata)
    {
        metadata = null;
        if (pairs.Length == 0) return true;
        var values = new JsonObject();
        foreach (var pair in pairs)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                Console.Error.WriteLine($"longhaul: --metadata '{pair}' is not key=value.");
                return false;
            }
            values[pair[..at]] = pair[(at + 1)..];
        }
        using var document = JsonDocument.Parse(values.ToJsonString());
        metadata = document.RootElement.Clone();
        return true;
    }
}
