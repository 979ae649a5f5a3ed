using System.Text.Json;
using Longhaul.Client;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// <c>Longhaul.Client</c> against the real server killed outright (SIGKILL) and restarted on the same data directory
/// and port: a watch and a wait in progress carry on by themselves, and the watch yields every event exactly once.
/// </summary>
public sealed class ClientFaultToleranceTests : IAsyncDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);
    private readonly EndToEndEnvironment _env = new();
    private readonly HttpClient _http = new();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _env.DisposeAsync();
    }

    /// <summary>A server, and a <c>sleep</c> started on it through a client with default options.</summary>
    private async Task<(LonghaulServerProcess Server, LonghaulOperation<SleepResult> Operation)> StartSleepAsync(int seconds, int steps)
    {
        var server = await _env.StartServerAsync();
        _http.BaseAddress = server.BaseAddress;
        var client = new LonghaulClient(_http);
        return (server, await client.StartAsync<object, SleepResult>("sleep", new { seconds, steps }, cancellationToken: EndToEndEnvironment.Ct));
    }

    [Fact]
    public async Task WatchAsync_ServerKilledAndRestartedOnTheSamePort_YieldsEveryEventIdExactlyOnce()
    {
        var ct = EndToEndEnvironment.Ct;
        var (first, operation) = await StartSleepAsync(seconds: 6, steps: 12);

        var seen = new List<Longhaul.Client.OperationEvent>();
        Task<LonghaulServerProcess>? restart = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await foreach (var e in operation.WatchAsync(afterEventId: 0, timeout.Token))
        {
            seen.Add(e);
            if (restart is null && e is OperationProgressEvent { Progress.Current: >= 3 })
            {
                // Killed mid-stream; restarted concurrently, so the client's reconnects first meet a refused port.
                first.Process.Kill();
                Assert.NotEqual(0, await first.Process.WaitForExitAsync(EventTimeout, ct));
                restart = _env.StartServerOnPortAsync(first.BaseAddress.Port);
            }
        }
        Assert.NotNull(restart);
        var second = await restart;

        var log = await _env.ReadFullLogAsync(second, operation.Id);
        var message = $"seen:\n{string.Join('\n', seen)}\nlog:\n{string.Join('\n', log)}\n{_env.Logs}";
        Assert.True(seen.Select(e => e.Id).SequenceEqual(log.Select(e => e.Id)), "the watch did not yield each event of the log exactly once\n" + message);
        Assert.True(seen[^1] is OperationDoneEvent, message);
        Assert.True(operation.HasCompleted, message);
        Assert.True(operation.Value is { StepsCompleted: 12, Attempts: 2 }, message);
    }

    [Fact]
    public async Task WaitForCompletionAsync_ServerKilledDuringTheLongPollAndRestartedOnTheSamePort_ReturnsTheResult()
    {
        var ct = EndToEndEnvironment.Ct;
        var (first, operation) = await StartSleepAsync(seconds: 4, steps: 8);

        var wait = operation.WaitForCompletionAsync(ct);
        await using (var events = await SseStream.OpenAsync(first.Http, $"/v1/operations/{operation.Id}/events", null, ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 2, EventTimeout, ct);
            Assert.False(wait.IsCompleted, $"the wait ended before the kill\n{_env.Logs}");
            first.Process.Kill();
        }
        Assert.NotEqual(0, await first.Process.WaitForExitAsync(EventTimeout, ct));
        await _env.StartServerOnPortAsync(first.BaseAddress.Port);

        var result = await wait.WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.True(result is { StepsCompleted: 8, Attempts: 2 }, $"{JsonSerializer.Serialize(operation.Resource)}\n{_env.Logs}");
        Assert.True(result.ResumedFromStep >= 2, _env.Logs);
    }

    private sealed record SleepResult(int StepsCompleted, int ResumedFromStep, int Attempts);
}
