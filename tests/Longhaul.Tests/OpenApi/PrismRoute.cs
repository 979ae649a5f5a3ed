using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// The API tests' run through Prism (<c>LONGHAUL_TEST_PRISM=1</c>, once in CI): every <see cref="Infrastructure.TestHost"/>
/// client sends its requests through one <see cref="PrismProxy"/> for the whole run (started on the first request,
/// with the first host's document) and a <see cref="PrismForwarder"/> behind it that sends each on to its own host,
/// and every <c>sl-violations</c> answer is collected; the host's disposal fails the test
/// on any. Prism runs without <c>--errors</c> so it forwards even requests the document calls invalid (the tests send
/// bad input on purpose): a response violation always counts, a request violation counts only when the server accepted
/// the request (2xx), since then the document is stricter than the server. Sent directly, and counted apart:
/// event streams (Prism relays an answer only once it has ended, so a live stream would never arrive) and paths the
/// document does not describe (the dashboard, the document itself, routes that do not exist).
/// </summary>
public sealed partial class PrismRoute : IAsyncDisposable
{
    private static readonly SemaphoreSlim StartGate = new(1, 1);
    private static PrismForwarder? _forwarder;
    private static PrismProxy? _proxy;
    private static List<(string Method, Regex Path)>? _paths;
    private readonly Uri _upstream;
    private readonly bool _developmentMode;
    private readonly List<string> _violations = [];
    private int _proxied;
    private int _direct;

    /// <summary>
    /// A route in front of the server at <paramref name="upstream"/>; <paramref name="developmentMode"/> when it has no
    /// API keys (then a call without a key is accepted, which the document, describing keys, does not cover).
    /// </summary>
    public PrismRoute(Uri upstream, bool developmentMode)
    {
        _upstream = upstream;
        _developmentMode = developmentMode;
    }

    /// <summary>Whether this run sends the API tests through Prism (<c>LONGHAUL_TEST_PRISM=1</c>).</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable("LONGHAUL_TEST_PRISM") == "1";

    /// <summary>Requests sent through Prism so far.</summary>
    public int Proxied => Volatile.Read(ref _proxied);

    /// <summary>Requests sent directly so far (event streams, paths the document does not describe).</summary>
    public int Direct => Volatile.Read(ref _direct);

    /// <summary>The violations found so far, one line each.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations) return [.. _violations];
        }
    }

    /// <summary>A handler that routes through Prism, over <paramref name="inner"/>.</summary>
    public HttpMessageHandler Wrap(HttpMessageHandler inner) => new Handler(this, inner);

    /// <summary>Prism's log so far (for failure messages).</summary>
    public static string PrismLog => _proxy?.Log ?? "";

    /// <summary>Fails (throws) when any violation was found.</summary>
    public void ThrowIfViolated()
    {
        var violations = Violations;
        if (violations.Count == 0) return;
        throw new Xunit.Sdk.XunitException(
            $"Prism found {violations.Count} answer(s) that do not match /openapi/v1.json:\n" + string.Join("\n", violations)
            + "\n(Prism's log is shared by every test of the run; it is not repeated here.)");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<PrismProxy?> ProxyForAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (await UnproxiableAsync(request, cancellationToken)) return null;
        await StartGate.WaitAsync(cancellationToken);
        try
        {
            if (_proxy is null)
            {
                // One forwarder and one Prism for the whole run, with the document of the first host that needs them
                // (all test hosts register the same kinds; a kind the document does not list has its own variant).
                _forwarder = await PrismForwarder.StartAsync();
                _proxy = await PrismProxy.StartAsync(_forwarder.Address, errors: false, documentFrom: _upstream);
                _paths = Paths(await File.ReadAllTextAsync(_proxy.DocumentPath, cancellationToken));
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            StartGate.Release();
        }
        var path = request.RequestUri!.AbsolutePath;
        var method = request.Method.Method.ToLowerInvariant();
        return _paths!.Any(p => p.Method == method && p.Path.IsMatch(path)) ? _proxy : null;
    }

    /// <summary>
    /// What Prism cannot relay faithfully, found by running the suite through it:
    /// - event streams: it answers only once the upstream's answer has ended, so a live stream never arrives;
    /// - bytes that are not UTF-8 text: it decodes request and response bodies as text, so a binary upload, a file
    ///   download or an upstream's binary answer relayed by the gateway arrives altered (each invalid sequence
    ///   becomes U+FFFD, a 2 MB file grows to 4 MB). Non-JSON request bodies, the file downloads and the gateway
    ///   (which relays upstream answers byte for byte) go directly; <see cref="PrismContractTests"/> calls each of
    ///   them through Prism with text content;
    /// - JSON request bodies that do not survive JavaScript's <c>JSON.parse</c>/<c>JSON.stringify</c> unchanged:
    ///   it re-serializes them, so malformed JSON, duplicate members, numbers past a double's precision and
    ///   <c>\u</c> escapes (lone surrogates) would reach the server as another request than the test sent.
    /// </summary>
    private static async Task<bool> UnproxiableAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Headers.Accept.Any(a => a.MediaType == "text/event-stream") || path.EndsWith("/events", StringComparison.Ordinal)) return true;
        if (path.Contains("/files/", StringComparison.Ordinal) || path.StartsWith("/downloads/", StringComparison.Ordinal)
            || path.StartsWith("/v1/proxy/", StringComparison.Ordinal)
            || (path.StartsWith("/v1/uploads/", StringComparison.Ordinal) && path.EndsWith("/content", StringComparison.Ordinal)))
        {
            return true;
        }
        if (request.Content is null) return false;
        var type = request.Content.Headers.ContentType?.MediaType;
        if (type is null || (type != "application/json" && !type.EndsWith("+json", StringComparison.Ordinal))) return true;
        await request.Content.LoadIntoBufferAsync(cancellationToken);
        return !SurvivesJavaScript(await request.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    private static bool SurvivesJavaScript(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            var names = new Stack<HashSet<string>>();
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        if (reader.ValueIsEscaped || !names.Peek().Add(reader.GetString()!)) return false;
                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped) return false;
                        break;
                    case JsonTokenType.Number:
                        if (!PlainNumber().IsMatch(System.Text.Encoding.UTF8.GetString(reader.ValueSpan))) return false;
                        break;
                }
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();

    private static List<(string Method, Regex Path)> Paths(string document)
    {
        var paths = new List<(string, Regex)>();
        foreach (var (template, item) in JsonNode.Parse(document)!["paths"]!.AsObject())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$";
            foreach (var (method, _) in item!.AsObject()) paths.Add((method, new Regex(pattern, RegexOptions.CultureInvariant)));
        }
        return paths;
    }

    private void Check(HttpRequestMessage request, string path, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("sl-violations", out var values)) return;
        var accepted = (int)response.StatusCode is >= 200 and < 300;
        foreach (var value in values)
        {
            foreach (var violation in JsonNode.Parse(value)!.AsArray())
            {
                var location = string.Join('.', violation!["location"]!.AsArray().Select(l => (string?)l));
                if (location.StartsWith("request", StringComparison.Ordinal) && !accepted) continue;
                if (location == "request" && (string?)violation["message"] == "Invalid security scheme used" && AuthorizedAnyway(request)) continue;
                lock (_violations) _violations.Add($"{request.Method} {path} → {(int)response.StatusCode}: {violation.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })}");
            }
        }
    }

    /// <summary>
    /// A request Prism calls unauthenticated that the contract accepts: without a key on a server without keys
    /// (development mode, which the document does not describe), or with the scheme in another case
    /// (<c>bearer</c>: schemes are case-insensitive, RFC 9110 section 11.1, which Prism does not apply).
    /// </summary>
    private bool AuthorizedAnyway(HttpRequestMessage request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization is null) return _developmentMode;
        return authorization.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && authorization.Scheme != "Bearer";
    }

    private sealed class Handler(PrismRoute route, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var proxy = await route.ProxyForAsync(request, cancellationToken);
            if (proxy is null)
            {
                Interlocked.Increment(ref route._direct);
                return await base.SendAsync(request, cancellationToken);
            }
            Interlocked.Increment(ref route._proxied);
            var original = request.RequestUri!;
            var path = original.PathAndQuery;
            request.RequestUri = new UriBuilder(original) { Host = proxy.Address.Host, Port = proxy.Address.Port }.Uri;
            request.Headers.TryAddWithoutValidation(PrismForwarder.UpstreamHeader, route._upstream.Authority);
            var response = await base.SendAsync(request, cancellationToken);
            request.RequestUri = original;
            route.Check(request, path, response);
            return response;
        }
    }
}
