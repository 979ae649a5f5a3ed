using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>An SSE client that follows an operation across a server restart, resuming with <c>Last-Event-ID</c>.</summary>
public sealed class EventStreamResumeTests : IAsyncDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task EventStream_ReconnectWithLastEventIdAcrossRestart_SeesEveryEventExactlyOnceInOrder()
    {
        var ct = EndToEndEnvironment.Ct;
        var first = await _env.StartServerAsync(GracefulShutdownTests.ShortGrace);
        var id = await _env.StartSleepAsync(first, new { seconds = 10, steps = 10 });

        // Opened at the start of the log, so it carries every event from id 1.
        var seen = new List<SseEvent>();
        await using (var before = await SseStream.OpenAsync(first.Http, $"/v1/operations/{id}/events?after=0", null, ct))
        {
            await before.ReadUntilAsync(e => e.ProgressCurrent >= 2, EventTimeout, ct);
            first.Process.Terminate();
            await before.ReadToEndAsync(TimeSpan.FromSeconds(10), ct);
            seen.AddRange(before.Received);
        }
        Assert.Equal(0, await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(20), ct));
        var lastId = seen[^1].Id;

        var second = await _env.StartServerAsync();
        await using (var after = await SseStream.OpenAsync(second.Http, $"/v1/operations/{id}/events", lastId, ct))
        {
            await after.ReadUntilAsync(e => e.Type == "done", TimeSpan.FromSeconds(40), ct);
            Assert.Null(await after.ReadAsync(TimeSpan.FromSeconds(10), ct)); // The server ends the stream after done.
            seen.AddRange(after.Received);
        }

        var log = await _env.ReadFullLogAsync(second, id);
        var message = $"seen:\n{string.Join('\n', seen)}\nlog:\n{string.Join('\n', log)}\n{_env.Logs}";
        Assert.True(log.Select(e => e.Id).SequenceEqual(Enumerable.Range(1, log.Count).Select(i => (long)i)), "log ids are not 1..N\n" + message);
        Assert.True(seen.SequenceEqual(log), "the events seen across the restart differ from the log\n" + message);
        Assert.True(log[^1].Type == "done" && log.Count(e => e.Type == "done") == 1, message);
        Assert.True(log.Any(e => e.Type == "status" && e.Json?["status"]?.GetValue<string>() == "pending"), "no status event of the hand-back\n" + message);
        Assert.True(log[^1].Json?["result"]?["attempts"]?.GetValue<int>() == 1, message);
    }
}
