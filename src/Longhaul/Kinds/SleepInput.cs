using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Longhaul.Kinds;

/// <summary>The input of the <c>sleep</c> kind; its schema and rules are generated from this type.</summary>
public sealed record SleepInput
{
    /// <summary>Total time to sleep, in seconds: 0 to 86400.</summary>
    [Description("Total time to sleep."), Range(0d, 86_400d)]
    public required double Seconds { get; init; }

    /// <summary>Progress steps, 1 to 10000; null (the default) means <c>max(1, ceil(seconds))</c>.</summary>
    [Description("Progress steps; default max(1, ceil(seconds))."), Range(1, 10_000)]
    public int? Steps { get; init; }

    /// <summary>The first N attempts (0 to 100) throw a transient error halfway. Defaults to 0.</summary>
    [Description("The first N attempts throw a transient error halfway."), Range(0, 100)]
    public int FailAttempts { get; init; }

    /// <summary>Emit an <c>output</c> event per step. Defaults to false.</summary>
    [Description("Emit an output event per step.")]
    public bool Output { get; init; }
}
