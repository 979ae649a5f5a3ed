using System.Net;
using System.Text;
using Longhaul.Egress;

namespace Longhaul.Kinds.Http;

/// <summary>A configured upstream at run time: its client, its concurrency slots and its resolved (secret) headers.</summary>
internal sealed class Upstream : IDisposable
{
    private static readonly string[] DefaultMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    public Upstream(string name, UpstreamOptions options, EgressGuard egress)
    {
        Name = name;
        Options = options;
        BaseUri = new Uri(options.BaseUrl!, UriKind.Absolute);
        Methods = new HashSet<string>(options.AllowedMethods.Count == 0 ? DefaultMethods : options.AllowedMethods.Select(m => m.ToUpperInvariant()), StringComparer.Ordinal);
        PathPrefixes = options.AllowedPathPrefixes.Count == 0 ? ["/"] : [.. options.AllowedPathPrefixes];
        // Resolved once; held only here, never written to operations, events, results or logs.
        InjectedHeaders = options.Headers.Select(h => KeyValuePair.Create(h.Key, EnvironmentReferences.Resolve(h.Value ?? ""))).ToList();
        Redactor = new SecretRedactor(options.Headers.SelectMany(h => EnvironmentReferences.ReferencedValues(h.Value ?? "")));
        Slots = new SemaphoreSlim(options.MaxConcurrentCalls, options.MaxConcurrentCalls);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.EffectiveConnectTimeout,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        };
        if (options.EgressGuard) egress.Install(handler);
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Name { get; }

    public UpstreamOptions Options { get; }

    public Uri BaseUri { get; }

    public HashSet<string> Methods { get; }

    public IReadOnlyList<string> PathPrefixes { get; }

    public IReadOnlyList<KeyValuePair<string, string>> InjectedHeaders { get; }

    /// <summary>Removes the injected secrets from whatever the upstream answers, before it is stored.</summary>
    public SecretRedactor Redactor { get; }

    public SemaphoreSlim Slots { get; }

    public HttpClient Client { get; }

    public bool IsInjected(string header) => InjectedHeaders.Any(h => string.Equals(h.Key, header, StringComparison.OrdinalIgnoreCase));

    /// <summary>The base URL's path + <paramref name="path"/> + the encoded query.</summary>
    public Uri BuildUri(string path, IEnumerable<KeyValuePair<string, string>> query)
    {
        var builder = new StringBuilder(BaseUri.GetLeftPart(UriPartial.Authority));
        builder.Append(BaseUri.AbsolutePath.TrimEnd('/')).Append(path);
        var first = true;
        foreach (var (key, value) in query)
        {
            builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return new Uri(builder.ToString(), UriKind.Absolute);
    }

    public void Dispose()
    {
        Client.Dispose();
        Slots.Dispose();
    }
}
