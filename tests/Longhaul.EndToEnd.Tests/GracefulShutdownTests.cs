using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>SIGTERM mid-run: the server stops claiming, waits out its grace period, hands the work back and exits 0.</summary>
public sealed class GracefulShutdownTests : IAsyncDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A 1 s grace period, so the 10 s sleep cannot finish in it.</summary>
    internal static readonly Dictionary<string, string> ShortGrace = new() { ["Longhaul__ShutdownGracePeriod"] = "00:00:01" };

    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Serve_SigtermDuringRun_HandsOperationBackWithoutConsumingAttempt()
    {
        var ct = EndToEndEnvironment.Ct;
        var first = await _env.StartServerAsync(ShortGrace);
        var id = await _env.StartSleepAsync(first, new { seconds = 10, steps = 10 });

        await using (var events = await SseStream.OpenAsync(first.Http, $"/v1/operations/{id}/events", null, ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 2, EventTimeout, ct);
            first.Process.Terminate();
            // An open event stream must not hold the shutdown up: the server ends it.
            await events.ReadToEndAsync(TimeSpan.FromSeconds(10), ct);
        }
        var exitCode = await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(20), ct);
        Assert.True(exitCode == 0, $"SIGTERM should end serve with exit code 0, got {exitCode}.\n{_env.Logs}");
        Assert.Contains($"Operation {id} handed back on shutdown", first.Output, StringComparison.Ordinal);

        // Read the stored operation before any worker can take it again.
        var inspector = await _env.StartServerAsync(new Dictionary<string, string> { ["Longhaul__RunWorkers"] = "false" });
        var stored = await _env.GetJsonAsync(inspector, $"/v1/operations/{id}");
        var storedMessage = $"{stored.ToJsonString()}\n{_env.Logs}";
        Assert.True(stored["status"]!.GetValue<string>() == "pending", storedMessage);
        Assert.True(!stored["done"]!.GetValue<bool>(), storedMessage);
        Assert.True(stored["progress"]!["current"]!.GetValue<int>() is >= 2 and < 10, storedMessage);
        Assert.DoesNotContain("Recovered", inspector.Output, StringComparison.Ordinal);
        inspector.Process.Terminate();
        Assert.Equal(0, await inspector.Process.WaitForExitAsync(TimeSpan.FromSeconds(20), ct));

        var last = await _env.StartServerAsync();
        var op = await _env.WaitUntilDoneAsync(last, id, TimeSpan.FromSeconds(40));

        var message = $"{op.ToJsonString()}\n{_env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        var result = op["result"]!;
        Assert.True(result["steps_completed"]!.GetValue<int>() == 10, message);
        Assert.True(result["resumed_from_step"]!.GetValue<int>() >= 2, message);
        Assert.True(result["attempts"]!.GetValue<int>() == 1, message);
    }
}
