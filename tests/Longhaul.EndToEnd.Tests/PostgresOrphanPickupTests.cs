using System.Globalization;
using System.Net;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Orphan pick-up measured on the database clock: from the SIGKILL of a worker to another worker starting each of its
/// operations (the <c>running</c> status event of attempt 2). In CI: one kill, five operations, a test-mode lease of
/// 5 s. With <c>LONGHAUL_ORPHAN_DEFAULTS=1</c> the nodes run at the default lease, heartbeat and reaper settings and the
/// test makes <c>LONGHAUL_ORPHAN_KILLS</c> kills of <c>LONGHAUL_ORPHAN_OPERATIONS</c> operations each and reports
/// p50/p99/max (docs/chaos.md has the command and the last result).
/// </summary>
public sealed class PostgresOrphanPickupTests(ITestOutputHelper output) : PostgresNodesTest
{
    // The server's defaults (LonghaulEngineOptions), stated here so the figures name them.
    private static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TestLease = TimeSpan.FromSeconds(5);


    [Fact]
    public async Task WorkerSigkilled_OtherWorkerStartsEveryOrphanWithinBound()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var defaults = Environment.GetEnvironmentVariable("LONGHAUL_ORPHAN_DEFAULTS") == "1";
        var kills = defaults ? Setting("LONGHAUL_ORPHAN_KILLS", 10) : 1;
        var perKill = Setting("LONGHAUL_ORPHAN_OPERATIONS", defaults ? 3 : 5);
        var lease = defaults ? DefaultLease : TestLease;
        // The acceptance: lease + 10 s at defaults; within 10 s with the test-mode 5 s lease.
        var bound = defaults ? lease + TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(10);
        var settings = defaults ? "defaults: lease 30 s, heartbeat 10 s, reaper 5 s, poll 1 s" : "lease 5 s, heartbeat 1 s, reaper 1 s";
        var environment = defaults ? Schema.Environment() : Schema.Environment(PostgresTestSchema.ShortLease(5));
        var eventTimeout = bound + TimeSpan.FromSeconds(20);

        var api = await Env.StartNodeAsync(environment, "--role", "api");
        var doomed = await Env.StartNodeAsync(environment, "--role", "worker");
        var pickups = new List<double>();
        var perKillLines = new List<string>();
        for (var kill = 1; kill <= kills; kill++)
        {
            var streams = new List<(string Id, SseStream Events)>();
            try
            {
                // Long enough never to finish before the pick-up; one step a second, each a checkpoint.
                for (var i = 0; i < perKill; i++)
                {
                    var id = await Env.StartSleepAsync(api, new { seconds = 600, steps = 600 });
                    streams.Add((id, await SseStream.OpenAsync(api.Http, $"/v1/operations/{id}/events?after=0", null, ct)));
                }
                foreach (var (_, events) in streams) await events.ReadUntilAsync(e => e.ProgressCurrent >= 1, eventTimeout, ct);
                // The rescuer starts only now, so every operation of this round runs on the doomed worker.
                var rescuer = await Env.StartNodeAsync(environment, "--role", "worker");
                if (defaults)
                {
                    // A real crash lands anywhere in the heartbeat cycle: spread the kills over one heartbeat interval.
                    // Pacing of the measurement, not a wait for state.
                    await Task.Delay(DefaultHeartbeat * Random.Shared.NextDouble(), ct);
                }

                doomed.Process.Kill();
                var killedAt = await PostgresEventClock.NowAsync(Schema);
                await doomed.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), ct);
                // The orphans' leases as the last heartbeat left them (nobody writes them until the reaper does).
                var leaseLeft = (await PostgresEventClock.LeaseExpiresAtAsync(Schema, streams[0].Id) - killedAt).TotalSeconds;

                var round = new List<double>();
                foreach (var (id, events) in streams)
                {
                    var running = await events.ReadUntilAsync(
                        e => e.Type == "status" && e.Json!["status"]!.GetValue<string>() == "running" && e.Json["attempt"]!.GetValue<int>() == 2,
                        eventTimeout, ct);
                    var startedAt = await PostgresEventClock.EventTimeAsync(Schema, id, running.Id);
                    round.Add((startedAt - killedAt).TotalSeconds);
                }
                pickups.AddRange(round);
                perKillLines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"kill {kill}: lease had {leaseLeft:F2} s left; picked up after {string.Join(", ", round.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s"));

                // The rescuer becomes the next round's doomed worker: cancel this round's operations so it holds none.
                foreach (var (id, _) in streams)
                {
                    using var cancel = await api.Http.PostAsync($"/v1/operations/{id}/cancel", null, ct);
                    Assert.True(cancel.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"cancel {id} answered {(int)cancel.StatusCode}");
                }
                foreach (var (id, _) in streams) await Env.WaitUntilDoneAsync(api, id, eventTimeout);
                doomed = rescuer;
            }
            finally
            {
                foreach (var (_, events) in streams) await events.DisposeAsync();
            }
        }

        pickups.Sort();
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"orphan pick-up after SIGKILL ({settings}), {kills} kill(s), {pickups.Count} operations: " +
            $"min {pickups[0]:F2} s, p50 {Percentile(pickups, 0.50):F2} s, p99 {Percentile(pickups, 0.99):F2} s, max {pickups[^1]:F2} s " +
            $"(bound {bound.TotalSeconds:F0} s)");
        foreach (var line in perKillLines.Append(figures))
        {
            output.WriteLine(line);
            Console.WriteLine(line);
        }
        Assert.True(pickups.TrueForAll(s => s > 0 && s < bound.TotalSeconds), $"{figures}\n{string.Join('\n', perKillLines)}\n{Env.Logs}");
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

}
