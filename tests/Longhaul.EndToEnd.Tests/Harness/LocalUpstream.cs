using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>A fake upstream for the real <c>longhaul</c> processes: a real Kestrel server on a loopback port that answers with <see cref="RequestDelegate"/>.</summary>
public sealed class LocalUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalUpstream(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base address, <c>http://127.0.0.1:{port}</c>.</summary>
    public string Address { get; }

    /// <summary>Starts an upstream that answers every request with <paramref name="handler"/>.</summary>
    public static async Task<LocalUpstream> StartAsync(RequestDelegate handler, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalUpstream(app, address);
    }

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
