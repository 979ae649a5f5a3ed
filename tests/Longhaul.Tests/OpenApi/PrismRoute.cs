using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Longhaul.Testing;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// The API tests' run through Prism (<c>LONGHAUL_TEST_PRISM=1</c>, once in CI; ADR 34): every
/// <see cref="Infrastructure.TestHost"/> client sends its requests through one <see cref="PrismProxy"/> for the whole
/// run (started on the first request, with the first host's document) and a <see cref="PrismForwarder"/> behind it
/// that sends each on to its own host with the test's own bytes and keeps the server's answer as it came; every
/// <c>sl-violations</c> answer is collected, and the host's disposal fails the test on any. Prism runs without
/// <c>--errors</c> so it forwards even requests the document calls invalid (the tests send bad input on purpose): a
/// response violation always counts, a request violation only when the server accepted the request (2xx), since
/// then the document is stricter than the server. Sent directly, and counted apart: see <see cref="UnproxiableAsync"/>,
/// and paths the document does not describe (the dashboard, the document itself, routes that do not exist).
/// </summary>
public sealed class PrismRoute : IAsyncDisposable
{
    private static readonly SemaphoreSlim StartGate = new(1, 1);
    private static PrismForwarder? _forwarder;
    private static PrismProxy? _proxy;
    private static List<(string Method, Regex Path)>? _paths;
    private static int _totalProxied;
    private static int _totalDirect;
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
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    _proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    // Prism's whole log beside the screenshots (artifacts/), for a failure's details.
                    var folder = Path.Combine(NodeModules.RepositoryRoot(), "artifacts", "prism");
                    Directory.CreateDirectory(folder);
                    File.WriteAllText(Path.Combine(folder, "prism.log"), _proxy.Log);
                    File.WriteAllText(Path.Combine(folder, "summary.txt"), $"requests through Prism: {_totalProxied}, sent directly: {_totalDirect}\n");
                };
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
    /// What Prism cannot relay: event streams (it answers only once the upstream's answer has ended, so a live stream
    /// would never arrive), a body sent as JSON that is not JSON (Prism never answers it: the request hangs until the
    /// client gives up) and JSON with member names outside printable ASCII (see <see cref="HasUnprintableName"/>). Other bodies are no reason: <see cref="PrismForwarder"/> sends the test's own bytes upstream
    /// and hands the server's own answer back, since Prism re-encodes both (binary bytes decoded as text, JSON
    /// re-serialized: <c>1.50</c> became <c>1.5</c>, <c>1e-400</c> became <c>0</c>, a 2 MB file grew to 4 MB, a top-level
    /// JSON string or <c>null</c> arrived unparseable, a HEAD answer lost <c>Cache-Control</c>).
    /// </summary>
    private static async Task<bool> UnproxiableAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Accept.Any(a => a.MediaType == "text/event-stream") || request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal)) return true;
        var type = request.Content?.Headers.ContentType?.MediaType;
        if (type is null || (type != "application/json" && !type.EndsWith("+json", StringComparison.Ordinal))) return false;
        await request.Content!.LoadIntoBufferAsync(cancellationToken);
        var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length == 0 || !System.Text.Unicode.Utf8.IsValid(body)) return true;
        try
        {
            using var parsed = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
            return HasUnprintableName(parsed.RootElement); // throws on a lone surrogate in a name: direct too
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>
    /// A member name outside printable ASCII: Prism quotes names in its violation messages and puts those in the
    /// <c>sl-violations</c> header unescaped, and a control character there makes Node throw and Prism exit
    /// ("Invalid character in header content"), taking every later request of the run with it.
    /// </summary>
    private static bool HasUnprintableName(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p => p.Name.Any(c => c is < ' ' or > '~') || HasUnprintableName(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasUnprintableName),
        _ => false,
    };

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

    private void Add(string violation)
    {
        lock (_violations) _violations.Add(violation);
    }

    private const string TooMany = "Too many violations! ";

    private void Check(HttpRequestMessage request, string path, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("sl-violations", out var values)) return;
        var accepted = (int)response.StatusCode is >= 200 and < 300;
        foreach (var value in values)
        {
            // Past 8 KiB Prism sends "Too many violations! " and the list cut short (not JSON): a refused request with
            // many request violations (every bad field of a typed kind's input, against each kind's schema) does
            // this. Only a response violation, or any violation of an accepted request, is a finding then.
            if (value.StartsWith(TooMany, StringComparison.Ordinal))
            {
                if (accepted || value.Contains("\"location\":[\"response\"", StringComparison.Ordinal))
                    Add($"{request.Method} {path} → {(int)response.StatusCode}: {value[..Math.Min(value.Length, 2000)]}");
                continue;
            }
            foreach (var violation in JsonNode.Parse(value)!.AsArray())
            {
                var location = string.Join('.', violation!["location"]!.AsArray().Select(l => (string?)l));
                if (location.StartsWith("request", StringComparison.Ordinal) && !accepted) continue;
                if (location == "request" && (string?)violation["message"] == "Invalid security scheme used" && AuthorizedAnyway(request)) continue;
                // An answer without Content-Type (a relayed upstream's empty 200) where any media type is allowed:
                // Prism reads the missing type as "" and matches it against nothing, not even */*.
                if (location == "response" && ((string?)violation["message"])?.StartsWith("The received media type \"\" does not match the one specified in the current response: */*", StringComparison.Ordinal) == true) continue;
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
                Interlocked.Increment(ref _totalDirect);
                return await base.SendAsync(request, cancellationToken);
            }
            Interlocked.Increment(ref route._proxied);
            Interlocked.Increment(ref _totalProxied);
            var original = request.RequestUri!;
            var path = original.PathAndQuery;
            var id = Guid.NewGuid().ToString("N");
            byte[]? body = null;
            if (request.Content is not null)
            {
                await request.Content.LoadIntoBufferAsync(cancellationToken);
                body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            }
            var exchange = new PrismForwarder.Exchange { RequestBody = body };
            PrismForwarder.Exchanges[id] = exchange;
            try
            {
                request.RequestUri = new UriBuilder(original) { Host = proxy.Address.Host, Port = proxy.Address.Port }.Uri;
                request.Headers.TryAddWithoutValidation(PrismForwarder.UpstreamHeader, route._upstream.Authority);
                request.Headers.TryAddWithoutValidation(PrismForwarder.ExchangeHeader, id);
                var response = await base.SendAsync(request, cancellationToken);
                request.RequestUri = original;
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                route.Check(request, path, response);
                if (exchange.Response is not { } answer)
                {
                    // Prism answered by itself (it could not reach the forwarder, or refused the request): a finding too.
                    route.Add($"{request.Method} {path} → {(int)response.StatusCode} from Prism itself: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    return response;
                }
                response.Dispose();
                return Answer(request, answer);
            }
            finally
            {
                PrismForwarder.Exchanges.TryRemove(id, out _);
            }
        }

        /// <summary>The server's answer exactly as it came (Prism's copy re-encodes bodies).</summary>
        private static HttpResponseMessage Answer(HttpRequestMessage request, PrismForwarder.RecordedAnswer answer)
        {
            var response = new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status) { RequestMessage = request, Content = new ByteArrayContent(answer.Body) };
            foreach (var (name, values) in answer.Headers)
            {
                if (!response.Headers.TryAddWithoutValidation(name, values))
                {
                    response.Content.Headers.Remove(name);
                    response.Content.Headers.TryAddWithoutValidation(name, values);
                }
            }
            return response;
        }
    }
}
