using System.Net.Http.Headers;

namespace Longhaul.Webhooks;

/// <summary>
/// When the next attempt is due: exponential backoff from <see cref="WebhookOptions.RetryBaseDelay"/> (doubling per
/// attempt, capped at <see cref="WebhookOptions.RetryMaxDelay"/>) with ±20 % jitter, so receivers that come back are not
/// hit by every sender at once; a <c>Retry-After</c> of a 429 or 503 answer instead, capped at
/// <see cref="WebhookOptions.MaxRetryAfter"/>.
/// </summary>
internal static class WebhookRetrySchedule
{
    /// <summary>The delay after attempt number <paramref name="attempt"/> (1 for the first) failed.</summary>
    public static TimeSpan Backoff(WebhookOptions options, int attempt, double random)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 40);
        var ms = Math.Min(options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent), options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + 0.4 * random));
    }

    /// <summary>The answer's <c>Retry-After</c> (seconds or a date) as a delay from <paramref name="now"/>, capped; null when absent or unusable.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now, TimeSpan cap)
    {
        TimeSpan? delay = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => null,
        };
        if (delay is not { } d) return null;
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        return d > cap ? cap : d;
    }
}
