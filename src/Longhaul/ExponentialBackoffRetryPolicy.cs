using Microsoft.Extensions.Options;

namespace Longhaul;

/// <summary>Exponential backoff with "equal jitter": half the delay is fixed, half random.</summary>
public sealed class ExponentialBackoffRetryPolicy(IOptions<LonghaulEngineOptions> options) : IRetryPolicy
{
    /// <summary>For attempt n: a ceiling of <c>RetryBaseDelay · 2^(n-1)</c> capped at <c>RetryMaxDelay</c>; half of it fixed, half random.</summary>
    public TimeSpan GetDelay(int attempt) => Delay(attempt, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);

    /// <summary>The same backoff with other delays: what a kind with its own retry delays uses.</summary>
    internal static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var half = ceiling / 2;
        return TimeSpan.FromMilliseconds(half + (Random.Shared.NextDouble() * half));
    }
}
