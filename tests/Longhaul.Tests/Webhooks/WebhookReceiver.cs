using System.Collections.Concurrent;
using Longhaul.Tests.Proxy;

namespace Longhaul.Tests.Webhooks;

/// <summary>
/// A real Kestrel receiver on 127.0.0.1 (through <see cref="FakeUpstream"/>) answering each delivery with the status the
/// test's function gives for the 1-based request number; <see cref="Nth"/> completes when that request arrived.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly FakeUpstream _server;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<RecordedRequest>> _nth = new();

    private WebhookReceiver(FakeUpstream server) => _server = server;

    public string Url => new Uri(_server.Address, "/hooks").ToString();

    public IReadOnlyList<RecordedRequest> Requests => _server.Requests;

    public static async Task<WebhookReceiver> StartAsync(Func<int, int> status)
    {
        WebhookReceiver? receiver = null;
        var server = await FakeUpstream.StartAsync((context, request) =>
        {
            context.Response.StatusCode = status(request.Number);
            receiver!.Signal(request.Number).TrySetResult(request);
            return Task.CompletedTask;
        });
        receiver = new WebhookReceiver(server);
        return receiver;
    }

    public Task<RecordedRequest> Nth(int number) => Signal(number).Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    private TaskCompletionSource<RecordedRequest> Signal(int number)
        => _nth.GetOrAdd(number, _ => new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously));

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
