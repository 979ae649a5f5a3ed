using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Remote workers on PostgreSQL across nodes: operations started on one API node are claimed and finished by a Python
/// worker talking to another API node; a worker killed mid-run is replaced by one on the first node, which resumes
/// from the checkpoint. Each node lists both workers (the store's registry), each with the node that heard from it.
/// </summary>
public sealed class PostgresRemoteWorkerTests : PostgresNodesTest
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwoApiNodes_StartedOnOne_PythonWorkerOnTheOther_RunsAndResumesAcrossNodes()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var environment = Schema.Environment([.. PythonWorker.RemoteKinds, .. PostgresTestSchema.ShortLease(3)]);
        var migrate = await Env.RunAsync(environment, "migrate", "--store", "postgres", "--connection", Schema.ConnectionString);
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        string[] storeArgs = ["--store", "postgres", "--connection", Schema.ConnectionString];
        var clientKey = await WorkerApi.CreateKeyAsync(Env, environment, storeArgs, "--tenant", "acme");
        var globexKey = await WorkerApi.CreateKeyAsync(Env, environment, storeArgs, "--tenant", "globex");
        var workerKey = await WorkerApi.CreateKeyAsync(Env, environment, storeArgs, "--scope", "worker", "--tenant", "acme", "--kinds", "report");

        var nodeA = await Env.StartNodeAsync(environment, "--role", "api");
        var nodeB = await Env.StartNodeAsync(environment, "--role", "api");
        var apiA = new WorkerApi(nodeA.Http, Env);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await apiA.StartAsync(clientKey, "report", new JsonObject { ["rows"] = 10, ["delay"] = 0.2 }));

        // The worker on node B is refused nothing it may do, and node B refuses the client key's claim.
        var (refused, _) = await new WorkerApi(nodeB.Http, Env).PostAsync("/v1/workers/claim", clientKey, """{"worker":"x","kinds":["report"]}""");
        Assert.Equal(HttpStatusCode.Forbidden, refused);

        var first = await PythonWorker.StartAsync(Env, nodeB.BaseAddress, workerKey, "on-b", concurrency: 3);
        using var http = new HttpClient { BaseAddress = nodeA.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", clientKey);
        JsonNode listed;
        await using (var events = await SseStream.OpenAsync(http, $"/v1/operations/{ids[0]}/events", null, ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 2, TimeSpan.FromSeconds(30), ct);
            // The worker talks to node B only; node A lists it from the store's registry, with its leases.
            listed = await Eventually.ValueAsync(() => apiA.GetAsync(clientKey, "/v1/workers"),
                w => Named(w, "on-b")?["running"]!.GetValue<int>() >= 1, TimeSpan.FromSeconds(30));
            first.Kill();
        }
        var onB = Named(listed, "on-b")!;
        Assert.True(onB["status"]!.GetValue<string>() == "active" && onB["tenant"]!.GetValue<string>() == "acme", listed.ToJsonString());
        Assert.Equal(["report"], onB["kinds"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Empty((await apiA.GetAsync(globexKey, "/v1/workers"))["workers"]!.AsArray());
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10), ct);
        var second = await PythonWorker.StartAsync(Env, nodeA.BaseAddress, workerKey, "on-a", concurrency: 3);

        foreach (var id in ids)
        {
            var op = await apiA.WaitDoneAsync(clientKey, id, DoneTimeout);
            var message = $"{op.ToJsonString()}\n{Env.Logs}";
            Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
            Assert.True(op["attempt"]!.GetValue<int>() == 2, message);
            Assert.True(op["result"]!["rows"]!.GetValue<int>() == 10, message);
            // The worker logs the completion after the server answered it: await the line, then count.
            await second.WaitForLineAsync(l => l.Contains($"completed {id}", StringComparison.Ordinal), TimeSpan.FromSeconds(30), ct);
            Assert.True(second.Output.Split('\n').Count(l => l.Contains($"completed {id}", StringComparison.Ordinal)) == 1, message);
        }
        var resumed = await apiA.GetAsync(clientKey, $"/v1/operations/{ids[0]}");
        Assert.True(resumed["result"]!["resumed_from"]!.GetValue<int>() >= 2, $"{resumed.ToJsonString()}\n{Env.Logs}");
        // Node B lists the killed worker gone and the one on node A idle, whichever node heard from them.
        var after = await Eventually.ValueAsync(() => new WorkerApi(nodeB.Http, Env).GetAsync(clientKey, "/v1/workers"),
            w => Named(w, "on-b")?["status"]!.GetValue<string>() == "gone" && Named(w, "on-a")?["status"]!.GetValue<string>() == "idle", TimeSpan.FromSeconds(30));
        Assert.NotEqual(Named(after, "on-a")!["node"]!.GetValue<string>(), Named(after, "on-b")!["node"]!.GetValue<string>());
    }

    private static JsonNode? Named(JsonNode list, string name) => list["workers"]!.AsArray().SingleOrDefault(x => x!["name"]!.GetValue<string>() == name);
}
