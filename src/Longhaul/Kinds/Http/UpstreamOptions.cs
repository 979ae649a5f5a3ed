namespace Longhaul.Kinds.Http;

/// <summary>One upstream of the <c>http</c> kind (<c>Longhaul:Upstreams:{name}</c>).</summary>
public sealed class UpstreamOptions
{
    /// <summary>Absolute http(s) URL every request path is appended to.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Bound on the whole call, retries and the streamed body included. Defaults to 10 minutes.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Bound on opening a TCP/TLS connection. Defaults to 10 seconds or the request timeout, whichever is shorter.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>Headers the server adds to every request; values may reference <c>${env:NAME}</c>. Clients cannot override them.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Methods clients may use; empty means GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS.</summary>
    public List<string> AllowedMethods { get; set; } = [];

    /// <summary>Path prefixes clients may call; empty means <c>/</c> (everything under the base URL).</summary>
    public List<string> AllowedPathPrefixes { get; set; } = [];

    /// <summary>Calls to this upstream in flight at once in this process; further calls wait. Defaults to 64.</summary>
    public int MaxConcurrentCalls { get; set; } = 64;

    /// <summary>
    /// Largest response body read (after decompression), streamed or not; a larger answer fails the operation with
    /// <c>upstream_response_too_large</c>. Defaults to 64 MiB.
    /// </summary>
    public long MaxResponseBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest body kept inline in the result (<c>body</c>, or a streamed answer's <c>text</c>); a larger one is stored as an
    /// operation file and the result links to it (<c>body_url</c>, <c>text_url</c>). Defaults to 256 KiB; at most 16 MiB.
    /// Above <see cref="MaxResponseBytes"/> it has no effect (nothing larger is read).
    /// </summary>
    public long MaxInlineBytes { get; set; } = 256L * 1024;

    /// <summary>
    /// Whether a request to this upstream may be sent again after it may have reached it, whatever its method: set it
    /// only when the upstream tolerates repeats (it deduplicates, e.g. by an idempotency key the client sends).
    /// When false, only the idempotent methods of RFC 9110 (GET, HEAD, OPTIONS, PUT, DELETE) are: a POST or PATCH
    /// whose connection broke, that got a 500, 502 or 504, or that failed unexpectedly after sending, fails the
    /// operation instead of being repeated. Defaults to false.
    /// </summary>
    public bool RetrySafe { get; set; }

    /// <summary>
    /// Whether calls to this upstream go through the egress guard (<c>Longhaul:Egress</c>, docs/egress.md): every
    /// address of the base URL's host is checked when a connection is opened, and a loopback, private, link-local,
    /// metadata or other internal address that is not allow-listed fails the operation with <c>egress_refused</c>
    /// (nothing is sent). Defaults to false.
    /// </summary>
    public bool EgressGuard { get; set; }

    /// <summary>Retries of safe failures inside one attempt.</summary>
    public UpstreamRetryOptions Retry { get; set; } = new();

    internal TimeSpan EffectiveConnectTimeout => ConnectTimeout ?? Min(TimeSpan.FromSeconds(10), RequestTimeout);

    internal TimeSpan EffectiveRetryMaxDelay => Retry.MaxDelay ?? Min(TimeSpan.FromSeconds(30), RequestTimeout / 2);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
