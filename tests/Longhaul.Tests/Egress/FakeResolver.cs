using System.Collections.Concurrent;
using System.Net;

namespace Longhaul.Tests.Egress;

/// <summary>
/// Plays DNS (a remote party) for the egress guard: a name answers its queued answers in turn (the last one
/// repeats), so a test can make a name change its answer between two lookups. Unknown names go to the real resolver.
/// </summary>
public sealed class FakeResolver
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IPAddress[]> _last = new(StringComparer.OrdinalIgnoreCase);
    private int _lookups;

    public int Lookups => _lookups;

    public FakeResolver Answer(string name, params IPAddress[][] answers)
    {
        _answers[name] = new ConcurrentQueue<IPAddress[]>(answers);
        return this;
    }

    public FakeResolver Answer(string name, params string[] addresses) => Answer(name, [.. addresses.Select(IPAddress.Parse)]);

    public Task<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        if (!_answers.TryGetValue(name, out var queue)) return Dns.GetHostAddressesAsync(name, cancellationToken);
        if (queue.TryDequeue(out var answer)) _last[name] = answer;
        return Task.FromResult(_last[name]);
    }
}
