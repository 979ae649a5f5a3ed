using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// Counts each tenant's event streams and long-polls on this node (ADR 26: per node, not across nodes). A slot is taken
/// with <see cref="TryEnter"/> and given back by disposing it, which every exit path does (<c>using</c>).
/// </summary>
public sealed class ConnectionLimiter
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _open = new(StringComparer.Ordinal);

    /// <summary>The tenant's connections held now on this node.</summary>
    public int Count(string tenant) => _open.TryGetValue(tenant, out var box) ? Volatile.Read(ref box.Value) : 0;

    /// <summary>A slot for one more connection of <paramref name="tenant"/>; null when it holds <paramref name="max"/> already.</summary>
    public IDisposable? TryEnter(string tenant, int? max)
    {
        var box = _open.GetOrAdd(tenant, static _ => new StrongBox<int>());
        while (true)
        {
            var held = Volatile.Read(ref box.Value);
            if (max is { } m && held >= m) return null;
            if (Interlocked.CompareExchange(ref box.Value, held + 1, held) == held) return new Slot(box);
        }
    }

    private sealed class Slot(StrongBox<int> box) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Interlocked.Decrement(ref box.Value);
        }
    }
}
