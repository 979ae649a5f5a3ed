using System.ComponentModel;
using Longhaul.Contracts;

namespace Longhaul.Kinds;

/// <summary>
/// Built-in kind <c>sleep</c>, for demos, tests and benchmarks: sleeps <c>seconds</c> in <c>steps</c>, reporting
/// progress and saving a checkpoint after each step, so a restarted attempt resumes where the last one stopped. Its
/// input's schema and rules come from <see cref="SleepInput"/>.
/// </summary>
[Description("Sleeps for a while in steps, with progress, checkpoints and optional failures.")]
public sealed class SleepHandler(TimeProvider time) : OperationHandler<SleepInput, SleepResult>
{
    /// <summary>The kind name, <c>sleep</c>.</summary>
    public const string KindName = "sleep";

    /// <summary>Always <see cref="KindName"/>.</summary>
    public override string Kind => KindName;

    /// <summary>Sleeps the remaining steps (from the checkpoint on), reporting progress and saving a checkpoint after each.</summary>
    protected override async Task<SleepResult> ExecuteAsync(SleepInput input, OperationContext context, CancellationToken cancellationToken)
    {
        var seconds = input.Seconds;
        var steps = input.Steps ?? Math.Max(1, (int)Math.Ceiling(seconds));
        var failAttempts = input.FailAttempts;
        var output = input.Output;
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
}
