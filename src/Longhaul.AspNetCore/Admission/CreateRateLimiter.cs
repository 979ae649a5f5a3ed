using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// The create rate: one token bucket (<see cref="TokenBucketRateLimiter"/>) per API key (per tenant without a key), its
/// rate and size from the tenant's limits, on this node (ADR 26). Tokens refill continuously: the bucket is
/// replenished from the elapsed time on each attempt rather than by a timer per key. Also counts admitted starts per
/// tenant over the last minute, for <c>GET /v1/usage</c>.
/// </summary>
public sealed class CreateRateLimiter : IDisposable
{
    private const int MaxBuckets = 100_000;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MinuteCounter> _admitted = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the limiter; <paramref name="time"/> dates the per-minute counts.</summary>
    public CreateRateLimiter(TimeProvider time) => _time = time;

    /// <summary>
    /// Takes one token of <paramref name="key"/>'s bucket. Null when admitted (or no rate is set); otherwise how long
    /// until a token is back.
    /// </summary>
    public TimeSpan? TryAcquire(string key, string tenant, double? ratePerSecond, int? burst)
    {
        if (ratePerSecond is not { } rate)
        {
            Count(tenant);
            return null;
        }
        var size = burst ?? Math.Max(1, (int)Math.Ceiling(rate));
        var bucket = _buckets.TryGetValue(key, out var b) && b.Rate == rate && b.Size == size ? b : Replace(key, rate, size);
        bucket.Limiter.TryReplenish();
        using var lease = bucket.Limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            Count(tenant);
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1 / rate);
    }

    /// <summary>The tenant's admitted starts per second over the last minute on this node.</summary>
    public double RatePerSecond(string tenant)
        => _admitted.TryGetValue(tenant, out var counter) ? counter.Total(_time.GetUtcNow()) / 60.0 : 0;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var bucket in _buckets.Values) bucket.Limiter.Dispose();
        _buckets.Clear();
    }

    private void Count(string tenant)
    {
        if (_admitted.Count > MaxBuckets) _admitted.Clear();
        _admitted.GetOrAdd(tenant, static _ => new MinuteCounter()).Add(_time.GetUtcNow());
    }

    private Bucket Replace(string key, double rate, int size)
    {
        // Without auto-replenishment a limiter holds no timer, so dropped ones need no disposal (and may still be in use).
        if (_buckets.Count > MaxBuckets) _buckets.Clear();
        var fresh = new Bucket(rate, size, new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = size,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Clamp(1 / rate, 1e-6, 86_400)),
            AutoReplenishment = false,
            QueueLimit = 0,
        }));
        var stored = _buckets.AddOrUpdate(key, fresh, (_, old) =>
        {
            if (old.Rate == rate && old.Size == size) return old;
            old.Limiter.Dispose();
            return fresh;
        });
        if (!ReferenceEquals(stored, fresh)) fresh.Limiter.Dispose();
        return stored;
    }

    private sealed record Bucket(double Rate, int Size, TokenBucketRateLimiter Limiter);

    /// <summary>Counts per second over a 60-second ring.</summary>
    private sealed class MinuteCounter
    {
        private readonly long[] _seconds = new long[60];
        private readonly long[] _counts = new long[60];

        public void Add(DateTimeOffset now)
        {
            var second = now.ToUnixTimeSeconds();
            var slot = (int)(second % 60);
            lock (_counts)
            {
                if (_seconds[slot] != second)
                {
                    _seconds[slot] = second;
                    _counts[slot] = 0;
                }
                _counts[slot]++;
            }
        }

        public long Total(DateTimeOffset now)
        {
            var second = now.ToUnixTimeSeconds();
            long total = 0;
            lock (_counts)
            {
                for (var i = 0; i < 60; i++) if (second - _seconds[i] < 60) total += _counts[i];
            }
            return total;
        }
    }
}
