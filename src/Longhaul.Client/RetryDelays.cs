using System.Net;
using System.Net.Http.Headers;

namespace Longhaul.Client;

/// <summary>How long to wait before a retry or a poll: the server's <c>Retry-After</c> when it sent one, else exponential backoff with jitter.</summary>
internal sealed class RetryDelays(LonghaulClientOptions options)
{
    /// <summary>The delay before retry number <paramref name="attempt"/> + 1: doubling from the initial delay, capped, the upper half jittered.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var ceiling = Ceiling(attempt);
        return ceiling / 2 + ceiling / 2 * Random.Shared.NextDouble();
    }

    /// <summary>The delay before poll number <paramref name="attempt"/> + 1 without a <c>Retry-After</c>: 1 s, 2 s, 4 s … up to the cap, no jitter.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt, 30));
        var ticks = Math.Min(options.InitialRetryDelay.Ticks * factor, options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The response's <c>Retry-After</c> (seconds or a date), or null when it has none.</summary>
    public TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfter(response.Headers.RetryAfter);

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - options.TimeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    /// <summary>True for answers worth repeating the same request for: 408, 429, 500, 502, 503 and 504.</summary>
    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Waits <paramref name="delay"/> on the options' clock.</summary>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        => delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, options.TimeProvider, cancellationToken);
}
