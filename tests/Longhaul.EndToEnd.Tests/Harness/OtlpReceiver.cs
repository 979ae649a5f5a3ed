using Microsoft.AspNetCore.Http;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// A local OTLP/HTTP receiver (Kestrel on 127.0.0.1) for exports in <c>http/protobuf</c>: decodes the spans of
/// <c>/v1/traces</c> with a minimal protobuf reader (the fields of opentelemetry-proto's trace.proto used here) and keeps
/// the raw bodies of <c>/v1/metrics</c>. Tests await a condition on what arrived, re-checked after every export.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<OtlpSpan> _spans = [];
    private readonly List<byte[]> _metrics = [];
    private readonly List<(Func<bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private LocalUpstream _server = null!;

    public string Address => _server.Address;

    public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var receiver = new OtlpReceiver();
        receiver._server = await LocalUpstream.StartAsync(receiver.HandleAsync, cancellationToken);
        return receiver;
    }

    public IReadOnlyList<OtlpSpan> Spans
    {
        get
        {
            lock (_gate) return [.. _spans];
        }
    }

    public IReadOnlyList<byte[]> MetricExports
    {
        get
        {
            lock (_gate) return [.. _metrics];
        }
    }

    /// <summary>Completes once <paramref name="done"/> holds for what has arrived (checked now and after each export).</summary>
    public async Task WaitUntilAsync(Func<OtlpReceiver, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _waiters.Add((() => done(this), signal));
        Check();
        try
        {
            await signal.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"OTLP receiver: condition not met within {timeout.TotalSeconds} s; spans: {string.Join(", ", Spans)}");
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        lock (_gate)
        {
            if (context.Request.Path == "/v1/traces") _spans.AddRange(OtlpSpan.Decode(body));
            else if (context.Request.Path == "/v1/metrics") _metrics.Add(body);
        }
        context.Response.ContentType = "application/x-protobuf";
        Check();
    }

    private void Check()
    {
        List<(Func<bool> Done, TaskCompletionSource Signal)> waiters;
        lock (_gate) waiters = [.. _waiters];
        foreach (var waiter in waiters.Where(w => w.Done()))
        {
            waiter.Signal.TrySetResult();
            lock (_gate) _waiters.Remove(waiter);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
