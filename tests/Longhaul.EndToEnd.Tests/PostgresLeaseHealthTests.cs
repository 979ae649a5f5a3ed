using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// No false rescues: operations running for several lease lengths on a worker whose heartbeats are healthy are never
/// taken over, even with every core kept busy by other processes.
/// </summary>
public sealed class PostgresLeaseHealthTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();
    private PostgresTestSchema? _schema;

    public async ValueTask DisposeAsync()
    {
        await _env.DisposeAsync();
        if (_schema is not null) await _schema.DisposeAsync();
    }

    [Fact]
    public async Task LongOperations_CoresBusyWithHealthyHeartbeats_NeverTakenOver()
    {
        _schema = PostgresTestSchema.CreateOrSkip();
        var environment = _schema.Environment(
            PostgresTestSchema.ShortLease(3));
        var api = await _env.StartNodeAsync(environment, "--role", "api");
        await _env.StartNodeAsync(environment, "--role", "worker");
        await _env.StartNodeAsync(environment, "--role", "worker");

        var ids = new List<string>();
        using (new CpuBurner(Environment.ProcessorCount))
        {
            for (var i = 0; i < 6; i++) ids.Add(await _env.StartSleepAsync(api, new { seconds = 10, steps = 5 }));
            foreach (var id in ids) await _env.WaitUntilDoneAsync(api, id, TimeSpan.FromSeconds(60));
        }

        foreach (var id in ids)
        {
            var op = await _env.GetJsonAsync(api, $"/v1/operations/{id}");
            var log = await _env.ReadFullLogAsync(api, id);
            var message = $"{op.ToJsonString()}\n{string.Join('\n', log)}\n{_env.Logs}";
            Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
            Assert.True(op["attempt"]!.GetValue<int>() == 1, message);
            Assert.DoesNotContain(log, e => e.Type == "status" && e.Data.Contains("lease_expired", StringComparison.Ordinal));
        }
    }
}
