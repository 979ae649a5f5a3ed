namespace Longhaul.Execution;

/// <summary>
/// A kind's settings in effect: configuration (<c>Longhaul:Kinds:{kind}</c>) over the handler's
/// <see cref="IOperationHandler.Defaults"/> over the engine's defaults.
/// </summary>
internal sealed record KindSettings(int MaxAttempts, double? TimeoutSeconds, TimeSpan? RetryBaseDelay, TimeSpan? RetryMaxDelay, int? Slots)
{
    public static KindSettings Resolve(IOperationHandler handler, LonghaulEngineOptions engine)
    {
        var code = handler.Defaults;
        engine.Kinds.TryGetValue(handler.Kind, out var config);
        return new KindSettings(
            config?.MaxAttempts ?? code?.MaxAttempts ?? engine.DefaultMaxAttempts,
            config?.TimeoutSeconds ?? code?.TimeoutSeconds,
            config?.RetryBaseDelay ?? code?.RetryBaseDelay,
            config?.RetryMaxDelay ?? code?.RetryMaxDelay,
            config?.Slots ?? code?.Slots);
    }

    /// <summary>The engine's defaults, for a kind no handler is registered for.</summary>
    public static KindSettings Fallback(LonghaulEngineOptions engine) => new(engine.DefaultMaxAttempts, null, null, null, null);

    /// <summary>
    /// How long attempt <paramref name="attempt"/>'s failure waits: the kind's own backoff when it sets either delay
    /// (the other from the engine), otherwise <paramref name="policy"/>, the registered retry policy.
    /// </summary>
    public TimeSpan RetryDelay(int attempt, IRetryPolicy policy, LonghaulEngineOptions engine)
        => RetryBaseDelay is null && RetryMaxDelay is null
            ? policy.GetDelay(attempt)
            : ExponentialBackoffRetryPolicy.Delay(attempt, RetryBaseDelay ?? engine.RetryBaseDelay, RetryMaxDelay ?? engine.RetryMaxDelay);
}
