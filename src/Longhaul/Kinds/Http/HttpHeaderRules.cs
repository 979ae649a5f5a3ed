using System.Net.Http.Headers;

namespace Longhaul.Kinds.Http;

/// <summary>Which headers travel between client, Longhaul and upstream.</summary>
internal static class HttpHeaderRules
{
    /// <summary>Hop-by-hop headers (RFC 9110 §7.6.1) and headers the HTTP stack owns: never forwarded.</summary>
    public static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Accept-Encoding", "Expect",
    };

    /// <summary>Response headers copied into the result.</summary>
    private static readonly HashSet<string> Safe = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Language", "Content-Disposition", "ETag", "Last-Modified", "Location", "Retry-After",
        "Request-Id", "X-Request-Id", "Anthropic-Request-Id", "OpenAI-Processing-Ms", "Date",
    };

    private static readonly string[] SafePrefixes = ["x-ratelimit-", "anthropic-ratelimit-"];

    private static readonly HashSet<string> Content = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length", "Content-Location",
        "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    /// <summary>A header .NET keeps on <see cref="HttpContent"/>, not on the request.</summary>
    public static bool IsContentHeader(string name) => Content.Contains(name);

    public static bool IsSafeResponseHeader(string name)
        => Safe.Contains(name) || SafePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>An RFC 9110 token (a valid header name or method).</summary>
    public static bool IsToken(string value)
        => value.Length > 0 && value.All(c => c < 127 && c > 32 && "\"(),/:;<=>?@[\\]{}".IndexOf(c, StringComparison.Ordinal) < 0);

    public static bool IsValidValue(string value) => !value.Any(c => c is '\r' or '\n' or '\0');

    /// <summary>The safe response headers, lower-cased names, comma-joined values.</summary>
    public static SortedDictionary<string, string> SelectSafe(HttpResponseMessage response)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(result, response.Headers);
        Add(result, response.Content.Headers);
        return result;
    }

    private static void Add(SortedDictionary<string, string> into, HttpHeaders headers)
    {
        foreach (var (name, values) in headers.NonValidated)
        {
            if (IsSafeResponseHeader(name)) into[name.ToLowerInvariant()] = string.Join(", ", values);
        }
    }
}
