using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>A server killed outright (SIGKILL) mid-run: the restarted server resumes the work from its checkpoint.</summary>
public sealed class CrashRecoveryTests : IAsyncDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Serve_SigkillAfterStep3ThenRestart_ResumesFromCheckpointOnSecondAttempt()
    {
        var ct = EndToEndEnvironment.Ct;
        var first = await _env.StartServerAsync();
        var id = await _env.StartSleepAsync(first, new { seconds = 10, steps = 10 });

        await using (var events = await SseStream.OpenAsync(first.Http, $"/v1/operations/{id}/events", null, ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 3, EventTimeout, ct);
            first.Process.Kill();
        }
        var exitCode = await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.True(exitCode != 0, $"A SIGKILLed server cannot exit 0.\n{_env.Logs}");

        var second = await _env.StartServerAsync();
        await second.Process.WaitForLineAsync(l => l.Contains("Recovered 1 operation(s) left running by the previous process", StringComparison.Ordinal), TimeSpan.FromSeconds(5), ct);
        var op = await _env.WaitUntilDoneAsync(second, id, TimeSpan.FromSeconds(40));

        var message = $"{op.ToJsonString()}\n{_env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        var result = op["result"]!;
        Assert.True(result["steps_completed"]!.GetValue<int>() == 10, message);
        Assert.True(result["resumed_from_step"]!.GetValue<int>() >= 3, message);
        Assert.True(result["attempts"]!.GetValue<int>() == 2, message);
        Assert.True(op["attempt"]!.GetValue<int>() == 2, message);

        // The log the restarted server serves is gap-free across the crash.
        var log = await _env.ReadFullLogAsync(second, id);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Id));
        Assert.Equal("done", log[^1].Type);
    }
}
