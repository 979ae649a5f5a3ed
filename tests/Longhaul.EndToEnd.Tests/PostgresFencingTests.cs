using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Fencing on PostgreSQL with real processes: a worker frozen (SIGSTOP) past its lease loses the operation to another
/// worker; once thawed (SIGCONT) none of its writes land, it stops its handler, and the result is the new owner's.
/// </summary>
public sealed class PostgresFencingTests : PostgresNodesTest
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);


    [Fact]
    public async Task WorkerPausedPastLease_SecondWorkerTakesOverThenFirstResumes_StaleWritesRejectedAndResultIsNewOwners()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var environment = Schema.Environment(
            PostgresTestSchema.ShortLease(3));
        var api = await Env.StartNodeAsync(environment, "--role", "api");
        var first = await Env.StartNodeAsync(environment, "--role", "worker");
        var id = await Env.StartSleepAsync(api, new { seconds = 12, steps = 12 });

        await using var events = await SseStream.OpenAsync(api.Http, $"/v1/operations/{id}/events?after=0", null, ct);
        await events.ReadUntilAsync(e => e.ProgressCurrent >= 2, EventTimeout, ct);
        first.Process.Pause();
        try
        {
            await Env.StartNodeAsync(environment, "--role", "worker");
            await events.ReadUntilAsync(e => IsRunning(e, attempt: 2), EventTimeout, ct);
        }
        finally
        {
            first.Process.Resume();
        }

        // Thawed, the first worker's timers fire at once: its next checkpoint or heartbeat is refused and it stops.
        await first.Process.WaitForLineAsync(
            l => l.Contains($"Operation {id}: lease epoch 1 lost", StringComparison.Ordinal), EventTimeout, ct);
        await events.ReadUntilAsync(e => e.Type == "done", EventTimeout, ct);
        var log = await Env.ReadFullLogAsync(api, id);

        var op = await Env.GetJsonAsync(api, $"/v1/operations/{id}");
        var message = $"{op.ToJsonString()}\n{string.Join('\n', log)}\n{Env.Logs}";
        var takeover = log.ToList().FindIndex(e => IsRunning(e, attempt: 2));
        Assert.True(takeover > 0, message);
        var after = log.Skip(takeover + 1).ToList();
        // Nothing from epoch 1 after the takeover: no status of attempt 1, no progress going back, one done, at the end.
        Assert.DoesNotContain(after, e => e.Type == "status" && e.Json!["attempt"]!.GetValue<int>() != 2);
        var progress = after.Where(e => e.Type == "progress").Select(e => e.ProgressCurrent!.Value).ToList();
        var resumedFrom = log.Take(takeover).Where(e => e.Type == "progress").Max(e => e.ProgressCurrent!.Value);
        Assert.True(progress.SequenceEqual(Enumerable.Range((int)resumedFrom + 1, progress.Count).Select(i => (long)i)), message);
        Assert.Single(log, e => e.Type == "done");
        Assert.Equal("done", log[^1].Type);
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(op["attempt"]!.GetValue<int>() == 2, message);
        Assert.True(op["result"]!["attempts"]!.GetValue<int>() == 2, message);
        Assert.True(op["result"]!["resumed_from_step"]!.GetValue<long>() == resumedFrom, message);
        Assert.True(op["result"]!["steps_completed"]!.GetValue<int>() == 12, message);
    }

    private static bool IsRunning(SseEvent e, int attempt)
        => e.Type == "status" && e.Json is { } json && json["status"]?.GetValue<string>() == "running" && json["attempt"]?.GetValue<int>() == attempt;
}
