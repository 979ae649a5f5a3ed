using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// A webhook receiver for the real <c>longhaul</c> processes (a <see cref="LocalUpstream"/>): records every delivery's
/// <c>webhook-id</c> and the operation id in its body, and answers 200. <c>?slow=ms</c> makes it answer that much later
/// (a slow receiver); <c>?hold=1</c> holds the first request of each webhook-id until the test stops the recorder
/// (a receiver a node dies in the middle of). <see cref="AllReceived"/> completes once every expected id has arrived.
/// </summary>
internal sealed class WebhookRecorder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string WebhookId, string OperationId)> _requests = new();
    private readonly TaskCompletionSource _allReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private LocalUpstream? _server;
    private int _expected = int.MaxValue;

    public string Url(string query = "") => $"{_server!.Address}/hooks{query}";

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<(string WebhookId, string OperationId)> Requests => [.. _requests];

    /// <summary>Requests per webhook-id.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>Completes when the first held request arrived.</summary>
    public Task Held => _held.Task;

    /// <summary>Completes when <see cref="Expect"/>'s number of distinct webhook-ids arrived.</summary>
    public Task AllReceived => _allReceived.Task;

    public static async Task<WebhookRecorder> StartAsync()
    {
        var recorder = new WebhookRecorder();
        recorder._server = await LocalUpstream.StartAsync(recorder.HandleAsync, EndToEndEnvironment.Ct);
        return recorder;
    }

    public void Expect(int distinct)
    {
        Volatile.Write(ref _expected, distinct);
        if (_counts.Count >= distinct) _allReceived.TrySetResult();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var webhookId = context.Request.Headers["webhook-id"].ToString();
        var operationId = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("id").GetString()!;
        var count = _counts.AddOrUpdate(webhookId, 1, (_, n) => n + 1);
        _requests.Enqueue((webhookId, operationId));
        if (context.Request.Query.ContainsKey("hold") && count == 1)
        {
            _held.TrySetResult();
            // Holds the request open until the node sending it is killed, or the test ends.
            await Task.Delay(Timeout.Infinite, _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        if (context.Request.Query.TryGetValue("slow", out var slow) && int.TryParse(slow, out var ms))
            await Task.Delay(ms, context.RequestAborted);
        context.Response.StatusCode = 200;
        if (_counts.Count >= Volatile.Read(ref _expected)) _allReceived.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_server is not null) await _server.DisposeAsync();
        _stopping.Dispose();
    }
}
