using Microsoft.Extensions.Options;

namespace Longhaul;

/// <summary>Exponential backoff with "equal jitter": half the delay is fixed, half random.</summary>
public sealed class ExponentialBackoffRetryPolicy(IOptions<LonghaulEngineOptions> options) : IRetryPolicy
{
    public TimeSpan GetDelay(int attempt)
    {
        var o = options.Value;
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var ceiling = Math.Min(o.RetryMaxDelay.TotalMilliseconds, o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var half = ceiling / 2;
        return TimeSpan.FromMilliseconds(half + (Random.Shared.NextDouble() * half));
    }
}
