using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// Adaptive <c>Retry-After</c>: the time left by <c>estimated_completion</c> when known, else a quarter of the
/// operation's age (young work is polled often, old work less), within the configured bounds.
/// </summary>
public sealed class RetryAfterPolicy(IOptions<LonghaulApiOptions> options, TimeProvider time)
{
    /// <summary>The <c>Retry-After</c> seconds for <paramref name="operation"/>, rounded up and within <c>RetryAfterMin</c> and <c>RetryAfterMax</c>.</summary>
    public int Seconds(Operation operation)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var wanted = operation.EstimatedCompletion is { } eta
            ? eta - now
            : (now - operation.CreatedAt) / 4;
        var clamped = Math.Clamp(wanted.TotalSeconds, o.RetryAfterMin.TotalSeconds, o.RetryAfterMax.TotalSeconds);
        return (int)Math.Ceiling(clamped);
    }
}
