using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Real nodes on one PostgreSQL schema: a page token issued by one API node is accepted by another (the key is in the
/// store, ADR 12), and a worker-only node serves <c>/metrics</c> with the meters of the upstream calls it made.
/// </summary>
public sealed class PostgresPageTokenAndMetricsTests : PostgresNodesTest
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(60);
    [Fact]
    public async Task PageToken_IssuedByApiNode1_WalksTheListOnApiNode2()
    {
        CreateSchema();
        var first = await Env.StartNodeAsync(Schema.Environment(), "--role", "api");
        var second = await Env.StartNodeAsync(Schema.Environment(), "--role", "api", "--no-migrate");
        var created = new List<string>();
        for (var i = 0; i < 5; i++) created.Add(await Env.StartSleepAsync(i % 2 == 0 ? first : second, new { seconds = 60 }));

        var (status, page) = await OperationPages.ListAsync(first, "page_size=2", null);
        Assert.True(status == HttpStatusCode.OK, page.ToJsonString());
        var token = page["next_page_token"]!.GetValue<string>();
        OperationPages.AssertRevealsNoSequence(token, 5);
        var ids = page["operations"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ToList();
        while (token is not null)
        {
            var (nextStatus, next) = await OperationPages.ListAsync(second, "page_size=2&page_token=" + Uri.EscapeDataString(token), null);
            Assert.True(nextStatus == HttpStatusCode.OK, $"{next.ToJsonString()}\n{Env.Logs}");
            ids.AddRange(next["operations"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
            token = next["next_page_token"]?.GetValue<string>();
        }

        Assert.Equal(Enumerable.Reverse(created), ids);
    }

    [Fact]
    public async Task WorkerNode_HttpOperationRanOnIt_ServesHttpKindMetrics()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var address = (await StartUpstreamAsync(context => context.Response.WriteAsync("pong", context.RequestAborted))).Address;
        var environment = Schema.Environment(("Longhaul__Upstreams__echo__BaseUrl", address));
        var api = await Env.StartNodeAsync(environment, "--role", "api");
        var worker = await Env.StartNodeAsync(environment, "--role", "worker", "--no-migrate");

        var create = new JsonObject { ["kind"] = "http", ["input"] = new JsonObject { ["upstream"] = "echo", ["method"] = "GET", ["path"] = "/ping" } };
        string id;
        using (var response = await api.Http.PostAsync("/v1/operations", new StringContent(create.ToJsonString(), Encoding.UTF8, "application/json"), ct))
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
            id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        }
        var done = await Env.WaitUntilDoneAsync(api, id, DoneTimeout);
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", $"{done.ToJsonString()}\n{Env.Logs}");

        using var metrics = await worker.Http.GetAsync("/metrics", ct);
        var text = await metrics.Content.ReadAsStringAsync(ct);
        var message = $"{text}\n{Env.Logs}";
        Assert.True(metrics.StatusCode == HttpStatusCode.OK, message);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.True(text.Contains("# TYPE longhaul_http_upstream_duration_seconds histogram", StringComparison.Ordinal), message);
        Assert.True(text.Contains("longhaul_http_upstream_duration_seconds_count{", StringComparison.Ordinal)
                    && text.Contains("upstream=\"echo\"", StringComparison.Ordinal), message);
    }
}
