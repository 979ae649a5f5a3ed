using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Orphan pick-up measured on the database clock: from the SIGKILL of a worker to another worker starting each of its
/// operations (the <c>running</c> status event of attempt 2), with a test-mode lease of 5 s.
/// </summary>
public sealed class PostgresOrphanPickupTests(ITestOutputHelper output) : IAsyncDisposable
{
    private const int Operations = 5;
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);
    private readonly EndToEndEnvironment _env = new();
    private PostgresTestSchema? _schema;

    public async ValueTask DisposeAsync()
    {
        await _env.DisposeAsync();
        if (_schema is not null) await _schema.DisposeAsync();
    }

    [Fact]
    public async Task WorkerSigkilled_FiveSecondLease_OtherWorkerStartsEveryOrphanWithinTenSeconds()
    {
        var ct = EndToEndEnvironment.Ct;
        _schema = PostgresTestSchema.CreateOrSkip();
        var environment = _schema.Environment(
            PostgresTestSchema.ShortLease(5));
        var api = await _env.StartNodeAsync(environment, "--role", "api");
        var doomed = await _env.StartNodeAsync(environment, "--role", "worker");

        var streams = new List<(string Id, SseStream Events)>();
        try
        {
            for (var i = 0; i < Operations; i++)
            {
                var id = await _env.StartSleepAsync(api, new { seconds = 30, steps = 30 });
                streams.Add((id, await SseStream.OpenAsync(api.Http, $"/v1/operations/{id}/events?after=0", null, ct)));
            }
            foreach (var (_, events) in streams) await events.ReadUntilAsync(e => e.ProgressCurrent >= 1, EventTimeout, ct);
            // The rescuer starts only now, so every operation ran on the doomed worker.
            await _env.StartNodeAsync(environment, "--role", "worker");

            doomed.Process.Kill();
            var killedAt = await PostgresEventClock.NowAsync(_schema);
            await doomed.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), ct);

            var pickups = new List<double>();
            foreach (var (id, events) in streams)
            {
                var running = await events.ReadUntilAsync(
                    e => e.Type == "status" && e.Json!["status"]!.GetValue<string>() == "running" && e.Json["attempt"]!.GetValue<int>() == 2,
                    EventTimeout, ct);
                var startedAt = await PostgresEventClock.EventTimeAsync(_schema, id, running.Id);
                pickups.Add((startedAt - killedAt).TotalSeconds);
            }

            pickups.Sort();
            var figures = $"orphan pick-up after SIGKILL (lease 5 s, heartbeat 1 s, reaper 1 s), {pickups.Count} operations: " +
                $"min {pickups[0]:F2} s, median {pickups[pickups.Count / 2]:F2} s, max {pickups[^1]:F2} s";
            output.WriteLine(figures);
            Console.WriteLine(figures);
            Assert.True(pickups.TrueForAll(s => s is > 0 and < 10), $"{figures}\n{_env.Logs}");
        }
        finally
        {
            foreach (var (_, events) in streams) await events.DisposeAsync();
        }
    }
}
