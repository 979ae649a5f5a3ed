namespace Longhaul;

/// <summary>
/// Settings of one kind, each optional: declared in code by the handler (<see cref="IOperationHandler.Defaults"/>, as
/// River's <c>WorkerDefaults</c>) and set in configuration under <c>Longhaul:Kinds:{kind}</c>. Configuration overrides
/// code, code overrides the engine's defaults (<see cref="LonghaulEngineOptions"/>); all are validated at start-up.
/// </summary>
public sealed class OperationKindOptions
{
    /// <summary>
    /// Attempts an operation of this kind gets when the client sends no <c>options.max_attempts</c>; 1 to
    /// <see cref="LonghaulEngineOptions.MaxAttemptsLimit"/>. Defaults to null: <see cref="LonghaulEngineOptions.DefaultMaxAttempts"/>.
    /// </summary>
    public int? MaxAttempts { get; set; }

    /// <summary>
    /// The operation's deadline in seconds when the client sends no <c>options.timeout_seconds</c>; above 0 and at most
    /// <see cref="LonghaulEngineOptions.MaxTimeout"/>. Defaults to null: no deadline.
    /// </summary>
    public double? TimeoutSeconds { get; set; }

    /// <summary>
    /// First retry delay of this kind (doubling each attempt, capped at the max delay, half of it random). Defaults to
    /// null: <see cref="LonghaulEngineOptions.RetryBaseDelay"/>. With neither retry delay set, the registered
    /// <see cref="IRetryPolicy"/> decides.
    /// </summary>
    public TimeSpan? RetryBaseDelay { get; set; }

    /// <summary>Longest retry delay of this kind. Defaults to null: <see cref="LonghaulEngineOptions.RetryMaxDelay"/>.</summary>
    public TimeSpan? RetryMaxDelay { get; set; }

    /// <summary>
    /// How many operations of this kind one node runs at once, within <see cref="LonghaulEngineOptions.WorkerSlots"/>;
    /// 1 to <c>WorkerSlots</c>. Defaults to null: no cap of its own.
    /// </summary>
    public int? Slots { get; set; }

    /// <summary>
    /// How many operations of this kind run at once in all, across every node and remote worker; 1 or more. Defaults
    /// to null: no global cap.
    /// </summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>
    /// Adds the problems with these settings to <paramref name="errors"/>, each naming the setting as
    /// <paramref name="prefix"/> + its name (e.g. <c>Longhaul:Kinds:sleep:</c> + <c>Slots</c>).
    /// </summary>
    internal void Validate(string prefix, LonghaulEngineOptions engine, List<string> errors)
    {
        if (MaxAttempts is { } m && (m < 1 || m > engine.MaxAttemptsLimit))
            errors.Add($"{prefix}MaxAttempts must be between 1 and Longhaul:MaxAttemptsLimit ({engine.MaxAttemptsLimit}) (is {m}).");
        if (TimeoutSeconds is { } t && (!double.IsFinite(t) || t <= 0 || t > engine.MaxTimeout.TotalSeconds))
            errors.Add($"{prefix}TimeoutSeconds must be above 0 and at most Longhaul:MaxTimeout ({engine.MaxTimeout.TotalSeconds} seconds) (is {t}).");
        if (RetryBaseDelay is { } b && b < TimeSpan.Zero) errors.Add($"{prefix}RetryBaseDelay must not be negative (is {b}).");
        if (RetryMaxDelay is { } x && x < TimeSpan.Zero) errors.Add($"{prefix}RetryMaxDelay must not be negative (is {x}).");
        if (Slots is { } s && (s < 1 || s > engine.WorkerSlots))
            errors.Add($"{prefix}Slots must be between 1 and Longhaul:WorkerSlots ({engine.WorkerSlots}) (is {s}).");
        if (MaxConcurrency is < 1) errors.Add($"{prefix}MaxConcurrency must be 1 or more (is {MaxConcurrency}).");
    }
}
