using System.Globalization;
using System.Text.Json;
using Longhaul.Client;
using Longhaul.Contracts;
using Spectre.Console;

namespace Longhaul.Server.ClientCommands;

/// <summary>
/// Follows an operation to its end (reconnecting by itself) and shows it: a live progress bar with percent, rate and
/// ETA on a terminal, streamed output printed as it arrives; plain lines when redirected; one JSON event a line.
/// </summary>
internal static class OperationWatcher
{
    public static async Task<int> WatchAsync(LonghaulClient client, string id, OutputMode mode, CancellationToken cancellationToken)
    {
        if (mode == OutputMode.Json) return await WriteEventsAsync(client, id, null, cancellationToken).ConfigureAwait(false);
        var operation = await client.GetOperationAsync(id, cancellationToken).ConfigureAwait(false);
        if (mode == OutputMode.Plain)
        {
            var rate = new ProgressRate();
            await foreach (var e in operation.WatchAsync(null, cancellationToken).ConfigureAwait(false))
            {
                var line = e switch
                {
                    OperationSnapshotEvent s => $"status\t{s.Operation.Status.ToWire()}\t{OperationPrinter.Percent(s.Operation.Progress)}",
                    OperationStatusEvent s => $"status\t{s.Status.ToWire()}\tattempt {s.Attempt}{(s.Reason is null ? "" : "\t" + s.Reason)}",
                    OperationProgressEvent p => $"progress\t{OperationPrinter.Percent(p.Progress)}\t{rate.Describe(p)}",
                    OperationOutputEvent<JsonElement> o => $"output\t{OutputText(o.Output)}",
                    _ => null,
                };
                if (line is not null) Console.WriteLine(line.TrimEnd('\t'));
            }
        }
        else
        {
            await ShowProgressAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        WriteOutcome(operation.Resource, mode);
        return OperationPrinter.ExitCode(operation.Resource);
    }

    /// <summary>The raw events after <paramref name="after"/> (or from a snapshot), one <c>{"id","event","data"}</c> object a line; the exit code is the final status's.</summary>
    public static async Task<int> WriteEventsAsync(LonghaulClient client, string id, long? after, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Success;
        await foreach (var e in client.StreamEventsAsync(id, after, cancellationToken).ConfigureAwait(false))
        {
            var data = string.IsNullOrEmpty(e.Data) ? "null" : e.Data;
            Console.WriteLine($"{{\"id\":{e.Id?.ToString(CultureInfo.InvariantCulture) ?? "null"},\"event\":\"{JsonEncodedText.Encode(e.Type)}\",\"data\":{data}}}");
            if (e.Type == EventTypes.Done) exit = OperationPrinter.ExitCode(JsonSerializer.Deserialize(data, LonghaulJson.Default.OperationResource)!);
        }
        return exit;
    }

    private static async Task ShowProgressAsync(LonghaulOperation<JsonElement> operation, CancellationToken cancellationToken)
    {
        var rate = new ProgressRate();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape($"{operation.Kind} {operation.Id}"), maxValue: 100);
                Update(task, operation.Resource.Progress, operation.Status, rate.Describe(null));
                await foreach (var e in operation.WatchAsync(null, cancellationToken).ConfigureAwait(false))
                {
                    switch (e)
                    {
                        case OperationProgressEvent p:
                            Update(task, p.Progress, operation.Status, rate.Describe(p));
                            break;
                        case OperationOutputEvent<JsonElement> o:
                            AnsiConsole.WriteLine(OutputText(o.Output));
                            break;
                        case OperationStatusEvent or OperationSnapshotEvent:
                            Update(task, operation.Resource.Progress, operation.Status, rate.Describe(null));
                            break;
                        case OperationDoneEvent d:
                            if (d.Operation.Status == OperationStatus.Succeeded) task.Value = task.MaxValue;
                            Update(task, d.Operation.Progress, d.Operation.Status, "");
                            task.StopTask();
                            break;
                    }
                    context.Refresh();
                }
            }).ConfigureAwait(false);
    }

    private static void Update(ProgressTask task, ProgressInfo? progress, OperationStatus status, string rate)
    {
        var name = task.Description.Split(" · ")[0];
        var parts = new List<string> { name, status.ToWire() };
        // The bar's percentage column shows the percent: the description leaves it out.
        if (OperationPrinter.Percent(progress, withPercent: false) is { } text) parts.Add(text);
        if (rate.Length > 0) parts.Add(rate);
        task.Description = Markup.Escape(string.Join(" · ", parts.Select(Markup.Remove)));
        if (progress?.Percent is { } percent)
        {
            task.IsIndeterminate = false;
            task.Value = Math.Clamp(percent, 0, 100);
        }
        else if (status == OperationStatus.Running)
        {
            task.IsIndeterminate = true;
        }
    }

    private static void WriteOutcome(OperationResource operation, OutputMode mode)
    {
        var line = operation.Status switch
        {
            OperationStatus.Succeeded => $"succeeded\t{operation.Result?.GetRawText() ?? "null"}",
            _ => $"{operation.Status.ToWire()}\t{operation.Error?.Code}\t{operation.Error?.Message}",
        };
        if (mode == OutputMode.Plain) Console.WriteLine(line.TrimEnd('\t'));
        else AnsiConsole.MarkupLine((operation.Status == OperationStatus.Succeeded ? "[green]" : "[red]") + Markup.Escape(line.Replace('\t', ' ').TrimEnd()) + "[/]");
    }

    /// <summary>A chunk as text: a JSON string as itself, an object's <c>text</c>, <c>delta</c> or <c>content</c> string, else its JSON.</summary>
    private static string OutputText(JsonElement chunk)
    {
        if (chunk.ValueKind == JsonValueKind.String) return chunk.GetString()!;
        if (chunk.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "text", "delta", "content" })
            {
                if (chunk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String) return value.GetString()!;
            }
        }
        return chunk.GetRawText();
    }
}
