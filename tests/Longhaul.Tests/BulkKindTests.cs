using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>The built-in <c>bulk</c> kind: cancel or delete everything matching a filter, as an operation with progress.</summary>
public sealed class BulkKindTests
{
    private static async Task<string> StartSleepAsync(HttpClient client, string batch, double seconds = 3600)
    {
        var response = await client.PostAsync("/v1/operations", Json($$$"""{"kind":"sleep","input":{"seconds":{{{seconds}}}},"metadata":{"batch":"{{{batch}}}"}}"""), Ct);
        return (await ReadJsonAsync(response)).Id();
    }

    private static async Task<JsonElement> RunBulkAsync(HttpClient client, string input)
    {
        var response = await client.PostAsync("/v1/operations", Json($$$"""{"kind":"bulk","input":{{{input}}},"options":{"priority":100}}"""), Ct);
        return await client.WaitDoneAsync((await ReadJsonAsync(response)).Id());
    }

    [Fact]
    public async Task Bulk_CancelByMetadata_CancelsOnlyTheTenantsMatchingOperationsWithProgress()
    {
        // The sleeps may take at most 4 of the 8 slots: a bulk operation needs a free slot like any other.
        var settings = new Dictionary<string, string?> { ["Longhaul:WorkerSlots"] = "8", ["Longhaul:Kinds:sleep:Slots"] = "4" };
        await using var host = await TestHost.StartWithSettingsAsync(settings, "alpha", "beta");
        var alpha = host.ClientFor("alpha");
        var targets = new List<string>();
        for (var i = 0; i < 25; i++) targets.Add(await StartSleepAsync(alpha, "a"));
        var keep = await StartSleepAsync(alpha, "b");
        var foreign = await StartSleepAsync(host.ClientFor("beta"), "a");

        var bulk = await RunBulkAsync(alpha, """{"action":"cancel","metadata":{"batch":"a"}}""");

        Assert.Equal("succeeded", bulk.Status());
        var result = bulk.GetProperty("result");
        Assert.Equal(25, result.GetProperty("matched").GetInt64());
        Assert.Equal(25, result.GetProperty("affected").GetInt64());
        Assert.Equal(0, result.GetProperty("skipped").GetInt64());
        Assert.Equal(25, bulk.GetProperty("progress").GetProperty("current").GetInt64());
        Assert.Equal(25, bulk.GetProperty("progress").GetProperty("total").GetInt64());
        foreach (var id in targets) Assert.Equal("cancelled", (await alpha.WaitDoneAsync(id)).Status());
        Assert.False((await alpha.GetJsonAsync($"/v1/operations/{keep}")).GetProperty("done").GetBoolean());
        Assert.False((await host.ClientFor("beta").GetJsonAsync($"/v1/operations/{foreign}")).GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task Bulk_Delete_DeletesFinishedAndSkipsUnfinishedAndItself()
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?> { ["Longhaul:Kinds:sleep:Slots"] = "4" });
        var done = new List<string>();
        for (var i = 0; i < 3; i++) done.Add(await StartSleepAsync(host.Client, "d", seconds: 0));
        foreach (var id in done) await host.Client.WaitDoneAsync(id);
        var running = await StartSleepAsync(host.Client, "d");

        var bulk = await RunBulkAsync(host.Client, """{"action":"delete","kind":"sleep"}""");

        var result = bulk.GetProperty("result");
        Assert.Equal(3, result.GetProperty("affected").GetInt64());
        Assert.Equal(1, result.GetProperty("skipped").GetInt64());
        foreach (var id in done) Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.Client.GetAsync($"/v1/operations/{id}", Ct)).StatusCode);
        Assert.False((await host.Client.GetJsonAsync($"/v1/operations/{running}")).GetProperty("done").GetBoolean());
    }

    [Theory]
    [InlineData("""{"action":"cancel"}""", "input.action")]
    [InlineData("""{"action":"purge","kind":"x"}""", "input.action")]
    [InlineData("""{"action":"cancel","status":"running,"}""", "input.status")]
    [InlineData("""{"action":"cancel","created_after":"today"}""", "input.created_after")]
    [InlineData("""{"action":"cancel","metadata":{"a b":"x"}}""", "input.metadata")]
    public async Task Bulk_BadInput_Answers422NamingTheField(string input, string field)
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);

        var response = await host.Client.PostAsync("/v1/operations", Json($$$"""{"kind":"bulk","input":{{{input}}}}"""), Ct);

        await AssertProblemAsync(response, 422, "validation_failed", field);
        Assert.Empty(await host.Client.ListAllAsync());
    }
}
