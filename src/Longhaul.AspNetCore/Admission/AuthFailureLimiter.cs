using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// Counts requests with a wrong API key per client address in fixed windows (<see cref="AuthFailureOptions"/>), on this
/// node. While an address is over the count, every request from it that sends a key is refused before the key is looked
/// at, so a guess gives no answer; other addresses, right keys included, are unaffected.
/// </summary>
public sealed class AuthFailureLimiter(IOptions<AuthFailureOptions> options, TimeProvider time)
{
    private const int MaxAddresses = 100_000;
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    /// <summary>How long <paramref name="address"/> stays refused; null when it may try.</summary>
    public TimeSpan? Blocked(IPAddress? address)
    {
        var o = options.Value;
        if (o.MaxFailures == 0 || address is null || !_windows.TryGetValue(address, out var window)) return null;
        var now = time.GetUtcNow();
        lock (window)
        {
            var left = window.Start + o.Window - now;
            if (left <= TimeSpan.Zero) return null;
            return window.Failures >= o.MaxFailures ? left : null;
        }
    }

    /// <summary>Counts one request with a wrong key from <paramref name="address"/>.</summary>
    public void Failed(IPAddress? address)
    {
        var o = options.Value;
        if (o.MaxFailures == 0 || address is null) return;
        var now = time.GetUtcNow();
        if (_windows.Count > MaxAddresses) Prune(now, o.Window);
        var window = _windows.GetOrAdd(address, static (_, start) => new Window { Start = start }, now);
        lock (window)
        {
            if (window.Start + o.Window <= now)
            {
                window.Start = now;
                window.Failures = 0;
            }
            window.Failures++;
        }
    }

    private void Prune(DateTimeOffset now, TimeSpan length)
    {
        foreach (var (address, window) in _windows)
        {
            if (window.Start + length <= now) _windows.TryRemove(address, out _);
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start { get; set; }
        public int Failures { get; set; }
    }
}
