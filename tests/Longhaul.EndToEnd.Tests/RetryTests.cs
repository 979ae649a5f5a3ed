using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>A transient handler failure is retried with backoff and the next attempt resumes from the checkpoint.</summary>
public sealed class RetryTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Sleep_FailAttemptsOne_SucceedsOnSecondAttempt()
    {
        var server = await _env.StartServerAsync(new Dictionary<string, string> { ["Longhaul__RetryBaseDelay"] = "00:00:00.100" });
        var id = await _env.StartSleepAsync(server, new { seconds = 1, steps = 4, fail_attempts = 1 });

        var op = await _env.WaitUntilDoneAsync(server, id, TimeSpan.FromSeconds(30));

        var message = $"{op.ToJsonString()}\n{_env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(op["result"]!["attempts"]!.GetValue<int>() == 2, message);
        Assert.True(op["result"]!["steps_completed"]!.GetValue<int>() == 4, message);
        Assert.True(op["result"]!["resumed_from_step"]!.GetValue<int>() == 1, message); // Attempt 1 failed at step 2, after checkpointing step 1.
        Assert.True(op["attempt"]!.GetValue<int>() == 2, message);
        Assert.Contains($"Operation {id} attempt 1 failed; retrying in", server.Output, StringComparison.Ordinal);

        var log = await _env.ReadFullLogAsync(server, id);
        var statuses = log.Where(e => e.Type == "status").Select(e => e.Json!["status"]!.GetValue<string>()).ToList();
        Assert.Equal(["running", "pending", "running", "succeeded"], statuses);
    }
}
