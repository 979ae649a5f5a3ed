using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Kinds;

/// <summary>
/// Built-in kind <c>sleep</c>, for demos, tests and benchmarks: sleeps <c>seconds</c> in <c>steps</c>, reporting
/// progress and saving a checkpoint after each step, so a restarted attempt resumes where the last one stopped.
/// </summary>
public sealed class SleepHandler(TimeProvider time) : IOperationHandler
{
    /// <summary>The kind name, <c>sleep</c>.</summary>
    public const string KindName = "sleep";
    private const double MaxSeconds = 86_400;
    private const int MaxSteps = 10_000;

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "seconds": { "type": "number", "minimum": 0, "maximum": 86400, "description": "Total time to sleep." },
            "steps": { "type": "integer", "minimum": 1, "maximum": 10000, "description": "Progress steps; default max(1, ceil(seconds))." },
            "fail_attempts": { "type": "integer", "minimum": 0, "maximum": 100, "description": "The first N attempts throw a transient error halfway." },
            "output": { "type": "boolean", "description": "Emit an output event per step." }
          },
          "required": ["seconds"]
        }
        """).RootElement.Clone();

    /// <summary>Always <see cref="KindName"/>.</summary>
    public string Kind => KindName;

    /// <summary>One line for <c>GET /v1/kinds</c>.</summary>
    public string? Description => "Sleeps for a while in steps, with progress, checkpoints and optional failures.";

    /// <summary>The JSON Schema of <c>seconds</c>, <c>steps</c>, <c>fail_attempts</c> and <c>output</c>.</summary>
    public JsonElement? InputSchema => Schema;

    /// <summary>Checks the fields against the schema's rules; every error at once, keyed by <c>input.field</c>.</summary>
    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.ValueKind != JsonValueKind.Object)
        {
            errors["input"] = ["must be an object"];
            return errors;
        }
        foreach (var property in input.EnumerateObject())
        {
            if (property.Name is not ("seconds" or "steps" or "fail_attempts" or "output"))
                errors[$"input.{property.Name}"] = ["is not a known field"];
        }
        if (!input.TryGetProperty("seconds", out var seconds))
            errors["input.seconds"] = ["is required"];
        else if (seconds.ValueKind != JsonValueKind.Number || !seconds.TryGetDouble(out var s) || s < 0 || s > MaxSeconds)
            errors["input.seconds"] = ["must be a number from 0 to 86400"];
        if (input.TryGetProperty("steps", out var steps) && (steps.ValueKind != JsonValueKind.Number || !steps.TryGetInt32(out var n) || n < 1 || n > MaxSteps))
            errors["input.steps"] = ["must be an integer from 1 to 10000"];
        if (input.TryGetProperty("fail_attempts", out var fail) && (fail.ValueKind != JsonValueKind.Number || !fail.TryGetInt32(out var f) || f < 0 || f > 100))
            errors["input.fail_attempts"] = ["must be an integer from 0 to 100"];
        if (input.TryGetProperty("output", out var output) && output.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            errors["input.output"] = ["must be a boolean"];
        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Sleeps the remaining steps (from the checkpoint on), reporting progress and saving a checkpoint after each.</summary>
    public async Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
    {
        var input = context.Input;
        var seconds = input.GetProperty("seconds").GetDouble();
        var steps = input.TryGetProperty("steps", out var st) ? st.GetInt32() : Math.Max(1, (int)Math.Ceiling(seconds));
        var failAttempts = input.TryGetProperty("fail_attempts", out var fa) ? fa.GetInt32() : 0;
        var output = input.TryGetProperty("output", out var o) && o.GetBoolean();
        var resumedFrom = context.GetCheckpoint<SleepCheckpoint>()?.Step ?? 0;
        var perStep = TimeSpan.FromSeconds(seconds / steps);
        var failAt = context.Attempt <= failAttempts ? Math.Max(resumedFrom + 1, (steps + 1) / 2) : -1;

        for (var step = resumedFrom + 1; step <= steps; step++)
        {
            if (perStep > TimeSpan.Zero) await Task.Delay(perStep, time, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (step == failAt)
                throw new InvalidOperationException($"Planned failure of attempt {context.Attempt} at step {step} (fail_attempts = {failAttempts}).");
            if (output) await context.WriteOutputAsync(new SleepOutput(step, steps), cancellationToken).ConfigureAwait(false);
            await context.SaveCheckpointAsync(
                new SleepCheckpoint(step),
                new ProgressInfo { Current = step, Total = steps, Unit = "steps" },
                cancellationToken).ConfigureAwait(false);
        }
        return new SleepResult(steps, resumedFrom, context.Attempt);
    }

    private sealed record SleepCheckpoint(int Step);

    private sealed record SleepOutput(int Step, int Of);

    private sealed record SleepResult(int StepsCompleted, int ResumedFromStep, int Attempts);
}
