using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Chaos on PostgreSQL with real processes: one API node, two worker nodes, a client driving many <c>sleep</c>
/// operations while a random worker is SIGKILLed and restarted every 3 s. Afterwards every operation is finished,
/// none twice, and every interrupted one resumed from its checkpoint. Size by <c>LONGHAUL_CHAOS_OPERATIONS</c> and
/// <c>LONGHAUL_CHAOS_SECONDS</c> (docs/chaos.md has the full run).
/// </summary>
public sealed class PostgresChaosTests(ITestOutputHelper output) : PostgresNodesTest
{
    // A SIGKILL ends the attempt of every operation on that worker, and a lost attempt counts. Operations planned to
    // succeed get enough attempts that kills cannot plausibly use them up (their planned failure plus eight kills while
    // they run); those planned to fail fail every attempt they are given, so kills change only how they end.
    private const int MaxAttemptsToSucceed = 10;
    private const int MaxAttemptsToFail = 3;
    private const int Steps = 5;
    private const int PoolSize = 20;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillEvery = TimeSpan.FromSeconds(3);


    [Fact]
    public async Task WorkersSigkilledAndRestartedEveryThreeSeconds_ManySleeps_EachFinishesOnceAndResumesFromCheckpoint()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var count = Setting("LONGHAUL_CHAOS_OPERATIONS", 200);
        var chaosFor = TimeSpan.FromSeconds(Setting("LONGHAUL_CHAOS_SECONDS", 15));
        var environment = Schema.Environment(
            [.. PostgresTestSchema.ShortLease(5),
            ("Longhaul__RetryBaseDelay", "00:00:00.200"), ("Longhaul__RetryMaxDelay", "00:00:01"),
            // Three nodes with Npgsql's own default pool of 100 each overran PostgreSQL's default max_connections (100,
            // shared with the tests running beside this one). The store's default is now 20; stated here all the same,
            // because the nodes must fit whatever that default becomes.
            ("Longhaul__Postgres__ConnectionString", $"{Schema.ConnectionString};Maximum Pool Size={PoolSize}")]);
        var api = await Env.StartNodeAsync(environment, "--role", "api");
        var workers = new[] { await Env.StartNodeAsync(environment, "--role", "worker"), await Env.StartNodeAsync(environment, "--role", "worker") };

        // The plan: seconds 0–3 (fixed seed), 5 steps; one in ten fails its first attempt (and then succeeds), one in
        // fifty fails every attempt.
        var random = new Random(count);
        var plans = Enumerable.Range(0, count).Select(i => new Plan(
            Math.Round(random.NextDouble() * 3, 2), i % 10 == 3 ? 1 : i % 50 == 7 ? MaxAttemptsToFail : 0)).ToList();

        var clock = Stopwatch.StartNew();
        using var chaosStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var kills = 0;
        var chaos = Task.Run(async () =>
        {
            // The kill cadence is the load, not a wait for state.
            using var timer = new PeriodicTimer(KillEvery);
            while (clock.Elapsed < chaosFor && await timer.WaitForNextTickAsync(chaosStop.Token))
            {
                var victim = Random.Shared.Next(workers.Length);
                workers[victim].Process.Kill();
                await workers[victim].Process.WaitForExitAsync(TimeSpan.FromSeconds(10), chaosStop.Token);
                kills++;
                workers[victim] = await Env.StartNodeAsync(environment, "--role", "worker");
            }
        }, ct);

        // The client: creates spread over the first half of the chaos window, a few requests at a time.
        var ids = new string[count];
        var spacing = chaosFor / 2 / Math.Max(1, count);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            var due = spacing * i - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, token); // Pacing of the load, not a wait for state.
            ids[i] = await StartOperationAsync(api, plans[i], token);
        });
        await chaos;
        var chaosEnded = clock.Elapsed;

        // Within lease + 60 s of the last kill every operation is done.
        var deadline = Lease + TimeSpan.FromSeconds(60);
        var finals = new JsonNode[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, _) =>
        {
            finals[i] = await Env.WaitUntilDoneAsync(api, ids[i], deadline - (clock.Elapsed - chaosEnded));
        });
        var settled = clock.Elapsed - chaosEnded;

        var logs = new IReadOnlyList<SseEvent>[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, _) =>
        {
            logs[i] = await Env.ReadFullLogAsync(api, ids[i]);
        });

        var problems = new List<string>();
        int succeeded = 0, failed = 0, retried = 0, resumed = 0;
        for (var i = 0; i < count; i++)
        {
            var problem = Check(plans[i], finals[i], logs[i], ref succeeded, ref failed, ref retried, ref resumed);
            if (problem is not null) problems.Add($"{ids[i]} {plans[i]}: {problem}\n  {finals[i].ToJsonString()}\n  {string.Join("\n  ", logs[i])}");
        }

        var figures = string.Create(CultureInfo.InvariantCulture,
            $"chaos: {count} operations, {kills} worker SIGKILLs over {chaosFor.TotalSeconds:F0} s; all done {settled.TotalSeconds:F1} s after the chaos; " +
            $"{succeeded} succeeded, {failed} failed ({plans.Count(p => p.PlannedToFail)} planned to fail), {retried} ran more than once (succeeded ones used at most {finals.Where(f => f["status"]!.GetValue<string>() == "succeeded").Select(f => f["attempt"]!.GetValue<int>()).DefaultIfEmpty(0).Max()} of their {MaxAttemptsToSucceed} attempts), {resumed} resumed from a checkpoint; {problems.Count} problems");
        output.WriteLine(figures);
        Console.WriteLine(figures);
        Assert.True(kills >= 1, figures);
        Assert.True(problems.Count == 0, $"{figures}\n{string.Join('\n', problems.Take(10))}\n{Tail(Env.Logs)}");
    }

    /// <summary>Null when the operation's end and event log are as promised; otherwise what is wrong.</summary>
    private static string? Check(Plan plan, JsonNode op, IReadOnlyList<SseEvent> log, ref int succeeded, ref int failed, ref int retried, ref int resumed)
    {
        var status = op["status"]!.GetValue<string>();
        var attempt = op["attempt"]!.GetValue<int>();
        if (log.Count(e => e.Type == "done") != 1) return "not exactly one done event";
        if (log[^1].Type != "done") return "events after done";
        var finalStatuses = log.Where(e => e.Type == "status" && e.Json!["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled").ToList();
        if (finalStatuses.Count != 1 || finalStatuses[0].Json!["status"]!.GetValue<string>() != status) return "not exactly one final status event";
        if (attempt > 1) retried++;

        // Interruptions the worker did not choose: an attempt ended by an expired lease.
        var lost = log.Count(e => e.Type == "status" && e.Data.Contains("\"lease_expired\"", StringComparison.Ordinal));
        // Failed exactly when planned to fail (the acceptance: failed only where fail_attempts exhausted max_attempts).
        if ((status == "failed") != plan.PlannedToFail) return plan.PlannedToFail ? $"ended {status} although planned to fail" : $"ended {status} although planned to succeed";
        if (status == "failed")
        {
            failed++;
            // Every attempt ended in a planned failure or a killed worker: the planned failures retried (internal_error)
            // plus the leases lost plus the last attempt (attempts_exhausted, or worker_lost when a kill ended it).
            var code = op["error"]!["code"]!.GetValue<string>();
            if (code is not ("attempts_exhausted" or "worker_lost")) return $"failed with {code}";
            var plannedRetries = log.Count(e => e.Type == "status" && e.Data.Contains("\"internal_error\"", StringComparison.Ordinal));
            if (attempt != MaxAttemptsToFail || plannedRetries + lost + 1 != MaxAttemptsToFail) return "failed with attempts left";
            return null;
        }
        if (status != "succeeded") return $"ended {status}";
        succeeded++;

        // The final attempt resumed from the last checkpoint before it (every sleep progress event is a checkpoint).
        var lastStart = log.ToList().FindLastIndex(e => e.Type == "status" && e.Json!["status"]!.GetValue<string>() == "running");
        var checkpoint = log.Take(lastStart).Where(e => e.Type == "progress").Select(e => e.ProgressCurrent!.Value).DefaultIfEmpty(0).Max();
        var result = op["result"]!;
        if (result["attempts"]!.GetValue<int>() != attempt) return "result.attempts is not the final attempt";
        if (result["steps_completed"]!.GetValue<int>() != Steps) return "not every step completed";
        if (result["resumed_from_step"]!.GetValue<long>() != checkpoint) return $"resumed from step {result["resumed_from_step"]} instead of checkpoint {checkpoint}";
        if (checkpoint > 0) resumed++;
        // Progress never goes back within an attempt and never repeats a checkpointed step across attempts.
        var afterStart = log.Skip(lastStart + 1).Where(e => e.Type == "progress").Select(e => e.ProgressCurrent!.Value).ToList();
        return afterStart.SequenceEqual(Enumerable.Range((int)checkpoint + 1, afterStart.Count).Select(s => (long)s)) ? null : "progress of the final attempt is not the steps after its checkpoint";
    }

    private static async Task<string> StartOperationAsync(LonghaulServerProcess api, Plan plan, CancellationToken cancellationToken)
    {
        var input = new JsonObject { ["seconds"] = plan.Seconds, ["steps"] = Steps };
        if (plan.FailAttempts > 0) input["fail_attempts"] = plan.FailAttempts;
        var json = new JsonObject { ["kind"] = "sleep", ["input"] = input, ["options"] = new JsonObject { ["max_attempts"] = plan.PlannedToFail ? MaxAttemptsToFail : MaxAttemptsToSucceed } }.ToJsonString();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await api.Http.PostAsync("/v1/operations", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /v1/operations answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }


    private static string Tail(string text) => text.Length <= 20_000 ? text : text[^20_000..];

    private sealed record Plan(double Seconds, int FailAttempts)
    {
        /// <summary>Fails every attempt it is given (<c>fail_attempts</c> ≥ <c>max_attempts</c>).</summary>
        public bool PlannedToFail => FailAttempts >= MaxAttemptsToFail;
    }
}
