using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Fair scheduling through the real binary on SQLite (issue 19): a tenant with one operation is not stuck behind
/// another's backlog; a delayed start begins on time; bad scheduling options are refused field by field.
/// </summary>
public sealed class FairSchedulingTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private async Task<(WorkerApi Api, string KeyA, string KeyB)> ServerWithTwoTenantsAsync(Dictionary<string, string>? environment = null)
    {
        string[] store = ["--data-dir", _env.DataDir];
        var keyA = await WorkerApi.CreateKeyAsync(_env, null, store, "--tenant", "noisy");
        var keyB = await WorkerApi.CreateKeyAsync(_env, null, store, "--tenant", "quiet");
        var server = await _env.StartServerAsync(environment);
        return (new WorkerApi(server.Http, _env), keyA, keyB);
    }

    [Fact]
    public async Task NoisyNeighbour_ThousandFiveSecondOperationsOn32Slots_OtherTenantStartsWithinOneSlotTurnover()
    {
        var (api, keyA, keyB) = await ServerWithTwoTenantsAsync(new() { ["Longhaul__WorkerSlots"] = "32" });

        var measured = await FairnessScenario.RunAsync(_env, api, keyA, keyB, noisyCount: 1000, slots: 32);

        TestContext.Current.TestOutputHelper?.WriteLine(measured);
    }

    [Fact]
    public async Task StartAfter_ThreeSecondsAhead_ShowsScheduledForAndStartsWithinOneSecondOfIt()
    {
        var (api, key, _) = await ServerWithTwoTenantsAsync();
        var at = DateTimeOffset.UtcNow.AddSeconds(3);

        var (status, created) = await api.PostAsync("/v1/operations", key, FairnessScenario.Sleep(0, new JsonObject { ["start_after"] = at.ToString("O") }));
        Assert.True(status == HttpStatusCode.Accepted, created?.ToJsonString());
        var id = created!["id"]!.GetValue<string>();
        var pending = await api.GetAsync(key, $"/v1/operations/{id}");
        var done = await api.WaitDoneAsync(key, id, TimeSpan.FromSeconds(30));

        Assert.Equal("pending", pending["status"]!.GetValue<string>());
        Assert.Equal(at.ToUniversalTime(), FairnessScenario.Time(pending["scheduled_for"]), TimeSpan.FromMilliseconds(1));
        var late = FairnessScenario.Time(done["started_at"]) - at;
        Assert.True(late >= TimeSpan.Zero && late <= TimeSpan.FromSeconds(1), $"started {late.TotalSeconds:F3} s after start_after\n{_env.Logs}");
        Assert.Null(done["scheduled_for"]);
    }

    [Fact]
    public async Task StartBy_NobodyFreeInTime_FailsWithStartDeadlinePassed()
    {
        var (api, key, _) = await ServerWithTwoTenantsAsync(new() { ["Longhaul__WorkerSlots"] = "1", ["Longhaul__ReaperInterval"] = "00:00:00.500" });
        var (_, blocker) = await api.PostAsync("/v1/operations", key, FairnessScenario.Sleep(4));
        var by = DateTimeOffset.UtcNow.AddSeconds(1.5);

        var (status, created) = await api.PostAsync("/v1/operations", key, FairnessScenario.Sleep(0, new JsonObject { ["start_by"] = by.ToString("O") }));
        Assert.True(status == HttpStatusCode.Accepted, created?.ToJsonString());
        var done = await api.WaitDoneAsync(key, created!["id"]!.GetValue<string>(), TimeSpan.FromSeconds(30));

        Assert.True(done["status"]!.GetValue<string>() == "failed", done.ToJsonString());
        Assert.Equal("start_deadline_passed", done["error"]!["code"]!.GetValue<string>());
        Assert.Null(done["started_at"]);
        Assert.NotNull(blocker);
    }

    [Fact]
    public async Task BadSchedulingOptions_EachRefusedWith422AtItsFieldAndNothingStored()
    {
        var (api, key, _) = await ServerWithTwoTenantsAsync();
        var now = DateTimeOffset.UtcNow;
        var cases = new (JsonObject Options, string Field)[]
        {
            (new() { ["start_by"] = now.AddMinutes(-1).ToString("O") }, "options.start_by"),
            (new() { ["start_after"] = now.AddDays(31).ToString("O") }, "options.start_after"),
            (new() { ["start_after"] = now.AddMinutes(10).ToString("O"), ["start_by"] = now.AddMinutes(5).ToString("O") }, "options.start_by"),
            (new() { ["start_after"] = "2030-01-01T00:00:00" }, "options.start_after"),
            (new() { ["start_after"] = "tomorrow" }, "options.start_after"),
            (new() { ["start_by"] = 1234 }, "options.start_by"),
            (new() { ["concurrency_limit"] = 2 }, "options.concurrency_limit"),
            (new() { ["concurrency_key"] = "k", ["concurrency_limit"] = 0 }, "options.concurrency_limit"),
            (new() { ["concurrency_key"] = "k", ["concurrency_limit"] = 1001 }, "options.concurrency_limit"),
            (new() { ["concurrency_key"] = "k", ["concurrency_limit"] = 1.5 }, "options.concurrency_limit"),
            (new() { ["concurrency_key"] = "" }, "options.concurrency_key"),
            (new() { ["concurrency_key"] = new string('k', 201) }, "options.concurrency_key"),
            (new() { ["concurrency_key"] = "a\u0000b" }, "options.concurrency_key"),
            (new() { ["concurrency_key"] = 7 }, "options.concurrency_key"),
        };
        foreach (var (options, field) in cases)
        {
            var (status, body) = await api.PostAsync("/v1/operations", key, FairnessScenario.Sleep(0, options));
            Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{options.ToJsonString()}: {(int)status} {body?.ToJsonString()}");
            Assert.True(body!["errors"]?[field] is not null, $"{options.ToJsonString()}: {body.ToJsonString()}");
        }
        var list = await api.GetAsync(key, "/v1/operations");
        Assert.Empty(list["operations"]!.AsArray());
    }
}
