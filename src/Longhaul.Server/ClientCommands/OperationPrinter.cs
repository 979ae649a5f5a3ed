using System.Globalization;
using System.Text.Json;
using Longhaul.Contracts;
using Spectre.Console;

namespace Longhaul.Server.ClientCommands;

/// <summary>Writes operations to stdout in the chosen <see cref="OutputMode"/>, and turns their status into an exit code.</summary>
internal static class OperationPrinter
{
    /// <summary>0 while pending, running or succeeded; failed and cancelled have their own codes.</summary>
    public static int ExitCode(OperationResource operation) => operation.Status switch
    {
        OperationStatus.Failed => ExitCodes.Failed,
        OperationStatus.Cancelled => ExitCodes.Cancelled,
        _ => ExitCodes.Success,
    };

    public static string Json(OperationResource operation) => JsonSerializer.Serialize(operation, LonghaulJson.Default.OperationResource);

    /// <summary>One operation: its JSON, a two-column table, or <c>name\tvalue</c> lines.</summary>
    public static void Write(OperationResource operation, OutputMode mode)
    {
        if (mode == OutputMode.Json)
        {
            Console.WriteLine(Json(operation));
            return;
        }
        var rows = Fields(operation).Where(f => f.Value is not null).ToList();
        if (mode == OutputMode.Plain)
        {
            foreach (var (name, value) in rows) Console.WriteLine($"{name}\t{value}");
            return;
        }
        var table = new Table().HideHeaders().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        foreach (var (name, value) in rows) table.AddRow(new Text(name), new Text(value!));
        AnsiConsole.Write(table);
    }

    /// <summary>Many operations: a JSON array, a table, or one <c>id\tkind\tstatus\tprogress\tcreated</c> line each.</summary>
    public static void WriteList(IReadOnlyList<OperationResource> operations, OutputMode mode)
    {
        if (mode == OutputMode.Json)
        {
            Console.WriteLine("[" + string.Join(",", operations.Select(Json)) + "]");
            return;
        }
        if (mode == OutputMode.Plain)
        {
            foreach (var op in operations) Console.WriteLine($"{op.Id}\t{op.Kind}\t{op.Status.ToWire()}\t{Percent(op.Progress) ?? "-"}\t{Time(op.CreatedAt)}");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "kind", "status", "progress", "created");
        foreach (var op in operations)
            table.AddRow(new Text(op.Id), new Text(op.Kind), new Text(op.Status.ToWire()), new Text(Percent(op.Progress) ?? "-"), new Text(Time(op.CreatedAt)));
        AnsiConsole.Write(table);
    }

    /// <summary>Progress as text: percent (unless <paramref name="withPercent"/> is false: a bar shows it), current/total with the unit, message.</summary>
    public static string? Percent(ProgressInfo? progress, bool withPercent = true)
    {
        if (progress is null) return null;
        var parts = new List<string>();
        if (withPercent && progress.Percent is { } percent) parts.Add(percent.ToString("0.#", CultureInfo.InvariantCulture) + "%");
        if (progress.Current is { } current)
            parts.Add(progress.Total is { } total ? $"{current}/{total}" : current.ToString(CultureInfo.InvariantCulture));
        if (progress.Unit is { } unit && progress.Current is not null) parts[^1] += " " + unit;
        if (progress.Message is { } message) parts.Add(message);
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IEnumerable<(string Name, string? Value)> Fields(OperationResource op)
    {
        yield return ("id", op.Id);
        yield return ("kind", op.Kind);
        yield return ("status", op.Status.ToWire() + (op.CancelRequested && !op.Done ? " (cancel requested)" : ""));
        yield return ("attempt", $"{op.Attempt} of {op.MaxAttempts}");
        yield return ("progress", Percent(op.Progress));
        yield return ("created", Time(op.CreatedAt));
        yield return ("started", op.StartedAt is { } started ? Time(started) : null);
        yield return ("finished", op.FinishedAt is { } finished ? Time(finished) : null);
        yield return ("eta", op.EstimatedCompletion is { } eta ? Time(eta) : null);
        yield return ("metadata", op.Metadata?.GetRawText());
        yield return ("result", op.Result?.GetRawText());
        yield return ("error", op.Error is { } error ? $"{error.Code}: {error.Message}" : null);
    }
}
