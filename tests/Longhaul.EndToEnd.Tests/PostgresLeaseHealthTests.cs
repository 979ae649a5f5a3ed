using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// No false rescues: operations running for several lease lengths on a worker whose heartbeats are healthy are never
/// taken over, even with every core kept busy by other processes.
/// </summary>
public sealed class PostgresLeaseHealthTests : PostgresNodesTest
{


    [Fact]
    public async Task LongOperations_CoresBusyWithHealthyHeartbeats_NeverTakenOver()
    {
        CreateSchema();
        var environment = Schema.Environment(
            PostgresTestSchema.ShortLease(3));
        var api = await Env.StartNodeAsync(environment, "--role", "api");
        await Env.StartNodeAsync(environment, "--role", "worker");
        await Env.StartNodeAsync(environment, "--role", "worker");

        var ids = new List<string>();
        using (new CpuBurner(Environment.ProcessorCount))
        {
            for (var i = 0; i < 6; i++) ids.Add(await Env.StartSleepAsync(api, new { seconds = 10, steps = 5 }));
            foreach (var id in ids) await Env.WaitUntilDoneAsync(api, id, TimeSpan.FromSeconds(60));
        }

        foreach (var id in ids)
        {
            var op = await Env.GetJsonAsync(api, $"/v1/operations/{id}");
            var log = await Env.ReadFullLogAsync(api, id);
            var message = $"{op.ToJsonString()}\n{string.Join('\n', log)}\n{Env.Logs}";
            Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
            Assert.True(op["attempt"]!.GetValue<int>() == 1, message);
            Assert.DoesNotContain(log, e => e.Type == "status" && e.Data.Contains("lease_expired", StringComparison.Ordinal));
        }
    }
}
