using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// The real <c>longhaul</c> binary configured with an upstream whose <c>AllowedPathPrefixes</c> is <c>["/api"]</c>:
/// a prefix matches whole path segments, in the <c>http</c> kind and in the gateway.
/// </summary>
public sealed class HttpKindPathPrefixTests : IAsyncDisposable
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(30);
    private readonly EndToEndEnvironment _env = new();
    private readonly ConcurrentQueue<string> _received = new();
    private LocalUpstream? _upstream;

    public async ValueTask DisposeAsync()
    {
        await _env.DisposeAsync();
        if (_upstream is not null) await _upstream.DisposeAsync();
    }

    private async Task<LonghaulServerProcess> StartAsync()
    {
        _upstream = await LocalUpstream.StartAsync(context =>
        {
            _received.Enqueue(context.Request.Path + context.Request.QueryString);
            return context.Response.WriteAsync("ok", context.RequestAborted);
        }, EndToEndEnvironment.Ct);
        var address = _upstream.Address;
        return await _env.StartServerAsync(new Dictionary<string, string>
        {
            ["Longhaul__Upstreams__api__BaseUrl"] = address,
            ["Longhaul__Upstreams__api__AllowedPathPrefixes__0"] = "/api",
        });
    }

    private static Task<HttpResponseMessage> StartOperationAsync(LonghaulServerProcess server, string path)
    {
        var create = new JsonObject { ["kind"] = "http", ["input"] = new JsonObject { ["upstream"] = "api", ["method"] = "GET", ["path"] = path } };
        return server.Http.PostAsync("/v1/operations", new StringContent(create.ToJsonString(), Encoding.UTF8, "application/json"), EndToEndEnvironment.Ct);
    }

    [Fact]
    public async Task HttpKind_PrefixApi_AdmitsApiX_RefusesApiaryAndApiAdmin()
    {
        var server = await StartAsync();

        string id;
        using (var admitted = await StartOperationAsync(server, "/api/x"))
        {
            var body = await admitted.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
            Assert.True(admitted.StatusCode == HttpStatusCode.Accepted, $"{body}\n{_env.Logs}");
            id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        }
        var done = await _env.WaitUntilDoneAsync(server, id, DoneTimeout);
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", $"{done.ToJsonString()}\n{_env.Logs}");
        Assert.Equal("ok", done["result"]!["body"]!.GetValue<string>());

        foreach (var path in new[] { "/apiary", "/api_admin", "/api%2Fx", "/api/%2e%2e/admin" })
        {
            using var refused = await StartOperationAsync(server, path);
            var body = await refused.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, $"{path}: {(int)refused.StatusCode} {body}");
            Assert.Contains("input.path", body, StringComparison.Ordinal);
        }
        Assert.Equal(["/api/x"], _received);
    }

    [Fact]
    public async Task Gateway_PrefixApi_AdmitsApiX_RefusesApiaryAndApiAdmin()
    {
        var server = await StartAsync();

        using (var admitted = new HttpRequestMessage(HttpMethod.Get, "/v1/proxy/api/api/x"))
        {
            admitted.Headers.TryAddWithoutValidation("Prefer", "respond-async, wait=20");
            using var response = await server.Http.SendAsync(admitted, EndToEndEnvironment.Ct);
            var body = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{_env.Logs}");
            Assert.Equal("ok", body);
        }
        foreach (var path in new[] { "/v1/proxy/api/apiary", "/v1/proxy/api/api_admin", "/v1/proxy/api/api%2Fx" })
        {
            using var refused = await server.Http.GetAsync(path, EndToEndEnvironment.Ct);
            var body = await refused.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, $"{path}: {(int)refused.StatusCode} {body}");
            Assert.Contains("input.path", body, StringComparison.Ordinal);
        }
        Assert.Equal(["/api/x"], _received);
    }
}
