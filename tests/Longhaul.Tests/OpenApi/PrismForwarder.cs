using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// The upstream of the one Prism all test hosts share: a plain forwarder on a loopback port that sends each request on
/// to the server named by its <see cref="UpstreamHeader"/> (Prism passes request headers through) and relays the answer
/// as it came, so one Prism process serves every host of the run instead of one per host (Prism's start-up costs about
/// a CPU-second). Prism parses and re-encodes bodies (binary bytes as text, JSON re-serialized), so the forwarder sends
/// the test's own request bytes upstream and keeps the server's answer as it came (<see cref="Exchange"/>): Prism only
/// observes and validates, and the test gets the exact bytes the server sent.
/// </summary>
public sealed class PrismForwarder : IAsyncDisposable
{
    /// <summary>The request header naming the server (<c>127.0.0.1:port</c>) a request is for.</summary>
    public const string UpstreamHeader = "X-Longhaul-Test-Upstream";

    /// <summary>The request header naming the <see cref="Exchange"/> a request belongs to.</summary>
    public const string ExchangeHeader = "X-Longhaul-Test-Exchange";

    /// <summary>The exchanges under way, by the value of <see cref="ExchangeHeader"/>.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Exchange> Exchanges = new(StringComparer.Ordinal);

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host", UpstreamHeader,
    };

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    });

    private PrismForwarder(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the forwarder listens.</summary>
    public Uri Address { get; }

    /// <summary>Starts a forwarder on a free loopback port.</summary>
    public static async Task<PrismForwarder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxRequestBodySize = null;
            o.RequestHeaderEncodingSelector = _ => Encoding.UTF8;
            o.ResponseHeaderEncodingSelector = _ => Encoding.UTF8;
        });
        var app = builder.Build();
        PrismForwarder? forwarder = null;
        app.Run(async context =>
        {
            try
            {
                await forwarder!.ForwardAsync(context);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !context.Response.HasStarted)
            {
                // The server did not answer (a host stopping at the end of its test): say so to Prism, whose answer
                // the test then sees (and records as Prism's own, with this text).
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                await context.Response.WriteAsync("forwarder: " + e.Message, CancellationToken.None);
            }
        });
        await app.StartAsync(CancellationToken.None);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        forwarder = new PrismForwarder(app, new Uri(address));
        return forwarder;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var upstream = context.Request.Headers[UpstreamHeader].ToString();
        if (upstream.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            return;
        }
        Exchanges.TryGetValue(context.Request.Headers[ExchangeHeader].ToString(), out var exchange);
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri($"http://{upstream}{target}"));
        // The test's own bytes go upstream, not Prism's re-serialization of them (it re-encodes bodies as text/JSON).
        if (exchange?.RequestBody is { } sent) request.Content = new ByteArrayContent(sent);
        else if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0) request.Content = new StreamContent(context.Request.Body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name) || name.Equals(ExchangeHeader, StringComparison.OrdinalIgnoreCase)) continue;
            if (exchange?.RequestBody is not null && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, [.. values]))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, [.. values]);
            }
        }
        using var response = await _client.SendAsync(request, context.RequestAborted);
        var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (exchange is not null) exchange.Response = new RecordedAnswer((int)response.StatusCode, [.. response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key))], body);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(name)) continue;
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && context.Response.StatusCode is 204 or 304) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        // One connection per request: Prism re-serializes bodies but may keep their original Content-Length, and the
        // forwarder never reads Prism's copy, so what is left of it on a kept-alive connection would be read as the
        // next request (Prism saw "socket hang up" on the request after).
        context.Response.Headers.Connection = "close";
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>One request sent through Prism: the test's own body, and the server's answer exactly as it came.</summary>
    public sealed class Exchange
    {
        /// <summary>The request body as the test sent it (null: none).</summary>
        public byte[]? RequestBody { get; init; }

        /// <summary>The server's answer before Prism saw it (null until the forwarder has it; stays null when Prism answered itself).</summary>
        public RecordedAnswer? Response { get; set; }
    }

    /// <summary>A server's answer: status, headers (response and content) and body bytes.</summary>
    public sealed record RecordedAnswer(int Status, List<KeyValuePair<string, IEnumerable<string>>> Headers, byte[] Body);
}
