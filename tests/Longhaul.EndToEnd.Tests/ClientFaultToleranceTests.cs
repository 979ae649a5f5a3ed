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

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task WatchAsync_ServerKilledAndRestartedOnTheSamePort_YieldsEveryEventIdExactlyOnce()
    {
        var ct = EndToEndEnvironment.Ct;
        var first = await _env.StartServerAsync();
        using var http = new HttpClient { BaseAddress = first.BaseAddress };
        var client = new LonghaulClient(http);
        var operation = await client.StartAsync<object, SleepResult>("sleep", new { seconds = 6, steps = 12 }, cancellationToken: ct);

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
        var first = await _env.StartServerAsync();
        using var http = new HttpClient { BaseAddress = first.BaseAddress };
        var client = new LonghaulClient(http);
        var operation = await client.StartAsync<object, SleepResult>("sleep", new { seconds = 4, steps = 8 }, cancellationToken: ct);

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
