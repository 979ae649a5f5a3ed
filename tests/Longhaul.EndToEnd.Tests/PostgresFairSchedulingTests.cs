using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Fair scheduling across nodes on PostgreSQL (issue 19): an API node and two worker nodes with no scheduler between
/// them. A tenant with one operation is not stuck behind another's backlog; a concurrency key with limit 1 never has
/// two operations running at once (checked from their event logs).
/// </summary>
public sealed class PostgresFairSchedulingTests : PostgresNodesTest
{
    private LonghaulServerProcess? _api;

    private async Task<(WorkerApi Api, string KeyA, string KeyB)> ApiAndTwoWorkersAsync(int slotsPerWorker)
    {
        CreateSchema();
        var environment = Schema.Environment(("Longhaul__WorkerSlots", slotsPerWorker.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var migrate = await Env.RunAsync(environment, "migrate", "--store", "postgres", "--connection", Schema.ConnectionString);
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        string[] storeArgs = ["--store", "postgres", "--connection", Schema.ConnectionString];
        var keyA = await WorkerApi.CreateKeyAsync(Env, environment, storeArgs, "--tenant", "noisy");
        var keyB = await WorkerApi.CreateKeyAsync(Env, environment, storeArgs, "--tenant", "quiet");
        var api = _api = await Env.StartNodeAsync(environment, "--role", "api", "--no-migrate");
        await Env.StartNodeAsync(environment, "--role", "worker", "--no-migrate");
        await Env.StartNodeAsync(environment, "--role", "worker", "--no-migrate");
        return (new WorkerApi(api.Http, Env), keyA, keyB);
    }

    [Fact]
    public async Task NoisyNeighbour_TwoWorkerNodesOf16Slots_OtherTenantStartsWithinOneSlotTurnover()
    {
        var (api, keyA, keyB) = await ApiAndTwoWorkersAsync(slotsPerWorker: 16);

        var measured = await FairnessScenario.RunAsync(Env, api, keyA, keyB, noisyCount: 1000, slots: 32);

        TestContext.Current.TestOutputHelper?.WriteLine(measured);
    }

    [Fact]
    public async Task ConcurrencyKeyLimitOne_TwoWorkerNodes_NeverTwoRunningAtOnce()
    {
        var (api, key, _) = await ApiAndTwoWorkersAsync(slotsPerWorker: 4);
        var keyed = new JsonObject { ["concurrency_key"] = "account-42" };

        var ids = await FairnessScenario.StartManyAsync(api, key, 12, _ => FairnessScenario.Sleep(0.3, (JsonObject)keyed.DeepClone()));
        // Unkeyed work alongside still runs on the free slots.
        var free = await FairnessScenario.StartManyAsync(api, key, 4, _ => FairnessScenario.Sleep(0.3));
        foreach (var id in ids.Concat(free)) await api.WaitDoneAsync(key, id, TimeSpan.FromSeconds(90));

        // Each attempt's running interval from its event log: the "running" status event to the final one, at the
        // times the database stored them (one clock for both worker nodes).
        using var http = new HttpClient { BaseAddress = _api!.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var intervals = new List<(DateTimeOffset From, DateTimeOffset To, string Id)>();
        foreach (var id in ids)
        {
            await using var stream = await SseStream.OpenAsync(http, $"/v1/operations/{id}/events?after=0", null, EndToEndEnvironment.Ct);
            var events = await stream.ReadToEndAsync(TimeSpan.FromSeconds(30), EndToEndEnvironment.Ct);
            var statuses = events.Where(e => e.Type == "status").ToList();
            var running = statuses.First(e => e.Json!["status"]!.GetValue<string>() == "running");
            var final = statuses[^1];
            Assert.Equal("succeeded", final.Json!["status"]!.GetValue<string>());
            intervals.Add((await PostgresEventClock.EventTimeAsync(Schema, id, running.Id), await PostgresEventClock.EventTimeAsync(Schema, id, final.Id), id));
        }
        intervals.Sort((a, b) => a.From.CompareTo(b.From));
        for (var i = 1; i < intervals.Count; i++)
        {
            Assert.True(intervals[i].From >= intervals[i - 1].To,
                $"{intervals[i].Id} started at {intervals[i].From:O} while {intervals[i - 1].Id} ran until {intervals[i - 1].To:O}\n{Env.Logs}");
        }
    }
}
