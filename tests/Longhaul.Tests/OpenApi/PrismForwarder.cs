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
/// a CPU-second).
/// </summary>
public sealed class PrismForwarder : IAsyncDisposable
{
    /// <summary>The request header naming the server (<c>127.0.0.1:port</c>) a request is for.</summary>
    public const string UpstreamHeader = "X-Longhaul-Test-Upstream";

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
        app.Run(context => forwarder!.ForwardAsync(context));
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
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri($"http://{upstream}{target}"));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(context.Request.Body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, [.. values]))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, [.. values]);
            }
        }
        using var response = await _client.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(name)) continue;
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && context.Response.StatusCode is 204 or 304) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
