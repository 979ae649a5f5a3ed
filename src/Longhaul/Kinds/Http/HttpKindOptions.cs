namespace Longhaul.Kinds.Http;

/// <summary>The upstreams the <c>http</c> kind may call, bound from <c>Longhaul:Upstreams:{name}</c>.</summary>
public sealed class HttpKindOptions
{
    /// <summary>Upstreams by name (case-insensitive). Clients can reach only these.</summary>
    public Dictionary<string, UpstreamOptions> Upstreams { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
