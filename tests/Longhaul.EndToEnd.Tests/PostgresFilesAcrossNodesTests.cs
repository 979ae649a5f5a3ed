using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// A large upstream body stored by a worker node is served by the API node (the file lives in PostgreSQL, not on the
/// worker's disk), with the upstream's echo of the injected secret redacted, and is gone after DELETE.
/// </summary>
public sealed class PostgresFilesAcrossNodesTests : PostgresNodesTest
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(60);
    [Fact]
    public async Task LargeBody_WrittenOnWorkerNode_IsServedByApiNode_Redacted_AndDeletedWithTheOperation()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var secret = "sk-e2e-" + Guid.NewGuid().ToString("N");
        var line = new string('x', 1000) + "\n";
        var address = (await StartUpstreamAsync(async context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            for (var i = 0; i < 3000; i++) await context.Response.WriteAsync(line, context.RequestAborted);
            await context.Response.WriteAsync($"auth: {context.Request.Headers.Authorization}\n", context.RequestAborted);
        })).Address;
        var environment = Schema.Environment(
            ("Longhaul__Upstreams__api__BaseUrl", address),
            ("Longhaul__Upstreams__api__MaxInlineBytes", "1000"),
            ("Longhaul__Upstreams__api__Headers__Authorization", "Bearer ${env:LONGHAUL_E2E_SECRET}"),
            ("LONGHAUL_E2E_SECRET", secret));

        var api = await Env.StartNodeAsync(environment, "--role", "api");
        var worker = await Env.StartNodeAsync(environment, "--role", "worker", "--no-migrate");
        var create = new JsonObject { ["kind"] = "http", ["input"] = new JsonObject { ["upstream"] = "api", ["method"] = "GET", ["path"] = "/export" } };
        string id;
        using (var response = await api.Http.PostAsync("/v1/operations", new StringContent(create.ToJsonString(), Encoding.UTF8, "application/json"), ct))
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
            id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        }

        var done = await Env.WaitUntilDoneAsync(api, id, DoneTimeout);

        Assert.True(done["status"]!.GetValue<string>() == "succeeded", $"{done.ToJsonString()}\n{Env.Logs}");
        var expected = string.Concat(Enumerable.Repeat(line, 3000)) + "auth: Bearer [REDACTED]\n";
        var result = done["result"]!;
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), result["body_bytes"]!.GetValue<long>());
        using (var file = await api.Http.GetAsync(result["body_url"]!.GetValue<string>(), ct))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("text/plain; charset=utf-8", file.Content.Headers.ContentType?.ToString());
            Assert.Equal(expected, await file.Content.ReadAsStringAsync(ct));
        }
        // A byte range across the first chunk boundary (1 MiB), read from PostgreSQL by the other node.
        using (var request = new HttpRequestMessage(HttpMethod.Get, result["body_url"]!.GetValue<string>()))
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1048000, 1049999);
            using var part = await api.Http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(expected.Substring(1048000, 2000), await part.Content.ReadAsStringAsync(ct));
        }
        // What the servers wrote (the harness's own command lines name the variable's value, so not Env.Logs).
        var serverOutput = string.Join('\n', api.Process.Stdout, api.Process.Stderr, worker.Process.Stdout, worker.Process.Stderr);
        Assert.Contains("Role: worker", serverOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, serverOutput, StringComparison.Ordinal);

        using (var delete = await api.Http.DeleteAsync($"/v1/operations/{id}", ct)) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await api.Http.GetAsync(result["body_url"]!.GetValue<string>(), ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
