using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Longhaul.Bench;

internal static class BenchHttp
{
    public const string SleepZeroBody = """{"kind":"sleep","input":{"seconds":0}}""";

    public static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>
    /// HTTP/1.1 client tuned for load generation: no proxy, no cookies, no decompression, a pool large
    /// enough for the requested concurrency, connections kept for the whole run.
    /// </summary>
    public static HttpClient CreateClient(string baseUrl, int maxConnections, string? apiKey)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) ||
            (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--url must be an absolute http(s) URL, got '{baseUrl}'");
        }

        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public static HttpRequestMessage NewPost(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Operation id from the Location header (last path segment), else from the body's "id".</summary>
    public static string? OperationId(HttpResponseMessage response, byte[]? body)
    {
        var location = response.Headers.Location?.OriginalString;
        if (!string.IsNullOrEmpty(location))
        {
            var trimmed = location.TrimEnd('/');
            var slash = trimmed.LastIndexOf('/');
            var id = slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
            if (id.Length > 0)
            {
                return Uri.UnescapeDataString(id);
            }
        }

        if (body is { Length: > 0 })
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                    doc.RootElement.TryGetProperty("id", out var idProp) &&
                    idProp.ValueKind == JsonValueKind.String)
                {
                    return idProp.GetString();
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return null;
    }

    public static DateTimeOffset? Timestamp(JsonElement resource, string name)
    {
        if (!resource.TryGetProperty(name, out var p) || p.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return DateTimeOffset.TryParse(
            p.GetString(),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var v) ? v : null;
    }

    public static string? Str(JsonElement resource, string name) =>
        resource.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}

internal static class Stats
{
    /// <summary>Nearest-rank percentile of an ascending-sorted array (q in 0..100).</summary>
    public static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(q / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string F(double v, int decimals = 3) =>
        double.IsNaN(v) ? "NaN" : v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static double Ms(long stopwatchTicks) => stopwatchTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
