using Longhaul.Egress;
using Microsoft.Extensions.Options;

namespace Longhaul.Kinds.Http;

/// <summary>The configured upstreams, built once from validated options.</summary>
internal sealed class UpstreamRegistry : IDisposable
{
    private readonly Dictionary<string, Upstream> _upstreams;

    public UpstreamRegistry(IOptions<HttpKindOptions> options, EgressGuard egress)
        => _upstreams = options.Value.Upstreams.ToDictionary(u => u.Key, u => new Upstream(u.Key, u.Value, egress), StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Names => _upstreams.Keys;

    public Upstream? Find(string name) => _upstreams.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var upstream in _upstreams.Values) upstream.Dispose();
    }
}
