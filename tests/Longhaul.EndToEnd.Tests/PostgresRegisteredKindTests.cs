using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>A remote kind registered at run time on one PostgreSQL API node is known to another (listed, validated, started, claimed), and so is its deletion.</summary>
public sealed class PostgresRegisteredKindTests : PostgresNodesTest
{
    [Fact]
    public async Task TwoApiNodes_KindRegisteredOnOne_IsListedValidatedStartedAndClaimedOnTheOther_AndDeletedOnBoth()
    {
        CreateSchema();
        var environment = Schema.Environment([.. PostgresTestSchema.ShortLease(3)]);
        var migrate = await Env.RunAsync(environment, "migrate", "--store", "postgres", "--connection", Schema.ConnectionString);
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        string[] storeArgs = ["--store", "postgres", "--connection", Schema.ConnectionString];
        var clientKey = await WorkerApi.CreateKeyAsync(Env, environment, storeArgs, "--tenant", "acme");
        var workerKey = await WorkerApi.CreateKeyAsync(Env, environment, storeArgs, "--scope", "worker", "--tenant", "acme");
        var nodeA = await Env.StartNodeAsync(environment, "--role", "api");
        var nodeB = await Env.StartNodeAsync(environment, "--role", "api");
        var apiA = new WorkerApi(nodeA.Http, Env);
        var apiB = new WorkerApi(nodeB.Http, Env);

        var (registered, body) = await apiA.PutAsync("/v1/kinds/resize", workerKey,
            """{"input_schema":{"type":"object","required":["width"],"properties":{"width":{"type":"integer"}}},"max_attempts":4}""");
        Assert.True(registered == HttpStatusCode.Created, $"{(int)registered} {body?.ToJsonString()}\n{Env.Logs}");

        Assert.Contains((await apiB.GetAsync(clientKey, "/v1/kinds"))["kinds"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "resize");
        var (invalid, invalidBody) = await apiB.PostAsync("/v1/operations", clientKey, """{"kind":"resize","input":{}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Contains("input.width", invalidBody!["errors"]!.AsObject().Select(e => e.Key));
        var id = await apiB.StartAsync(clientKey, "resize", new JsonObject { ["width"] = 3 });
        Assert.Equal(4, (await apiB.GetAsync(clientKey, $"/v1/operations/{id}/request"))["options"]!["max_attempts"]!.GetValue<int>());
        var (claimed, claimBody) = await apiB.PostAsync("/v1/workers/claim", workerKey, """{"worker":"w","kinds":["resize"],"max":5}""");
        Assert.True(claimed == HttpStatusCode.OK, $"{(int)claimed} {claimBody?.ToJsonString()}");
        Assert.Equal([id], claimBody!["operations"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
        var token = claimBody["operations"]![0]!["lease"]!["token"]!.GetValue<string>();
        var (completed, _) = await apiA.PostAsync("/v1/leases/complete", workerKey, new JsonObject { ["lease"] = token, ["result"] = 1 });
        Assert.Equal(HttpStatusCode.NoContent, completed);
        Assert.Equal("succeeded", (await apiA.WaitDoneAsync(clientKey, id, TimeSpan.FromSeconds(30)))["status"]!.GetValue<string>());

        // Deleted on node B: node A no longer lists, accepts or hands out the kind.
        var (deleted, deletedBody) = await apiB.SendAsync(HttpMethod.Delete, "/v1/kinds/resize", workerKey);
        Assert.True(deleted == HttpStatusCode.NoContent, $"{(int)deleted} {deletedBody?.ToJsonString()}\n{Env.Logs}");
        Assert.DoesNotContain((await apiA.GetAsync(clientKey, "/v1/kinds"))["kinds"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "resize");
        var (refused, refusedBody) = await apiA.PostAsync("/v1/operations", clientKey, """{"kind":"resize","input":{"width":3}}""");
        Assert.True(refused == HttpStatusCode.UnprocessableEntity, $"{(int)refused} {refusedBody?.ToJsonString()}");
        var (claimRefused, _) = await apiA.PostAsync("/v1/workers/claim", workerKey, """{"worker":"w","kinds":["resize"]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, claimRefused);
    }
}
