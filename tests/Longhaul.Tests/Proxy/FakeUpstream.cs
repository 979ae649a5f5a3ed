using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Longhaul.Tests.Proxy;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (port 0) playing an upstream. Each request is recorded, signalled through
/// <see cref="Received"/>, and answered by the test's handler; <see cref="Aborted"/> completes when a client
/// abandons a request (its <c>RequestAborted</c> fires).
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    private FakeUpstream(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Completes with the first request.</summary>
    public TaskCompletionSource<RecordedRequest> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a request's RequestAborted fires.</summary>
    public TaskCompletionSource Aborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the host shuts down; handlers that hang forever await this.</summary>
    public Task Stopping => _stopping.Task;

    public static async Task<FakeUpstream> StartAsync(Func<HttpContext, RecordedRequest, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeUpstream(app);
        app.Run(async context =>
        {
            context.RequestAborted.Register(() => fake.Aborted.TrySetResult());
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var request = new RecordedRequest(Interlocked.Increment(ref fake._count), context.Request.Method,
                context.Request.Path + context.Request.QueryString, headers, body, Stopwatch.GetTimestamp());
            fake._requests.Enqueue(request);
            fake.Received.TrySetResult(request);
            await handler(context, request);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        fake.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.TrySetResult();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
