using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.AspNetCore;
using Longhaul.Storage;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// Calls every endpoint of a real server through Prism as a validating proxy (its document fetched from the server):
/// valid requests, and requests valid by the document that the server refuses (unknown ids, finished operations,
/// foreign links), with 0 request or response violations; and the gateway, whose relayed upstream answers may have
/// any status and media type. <c>GET /v1/events</c> never ends by itself, and Prism
/// relays a response only once it has ended: it is called directly (its answers are checked by the property run).
/// </summary>
public sealed class PrismContractTests
{
    private readonly List<string> _violations = [];
    private readonly List<string> _calls = [];

    [Fact]
    public async Task Every_endpoint_through_prism_has_no_violation()
    {
        await using var host = await TestHost.StartAsync(tenants: ["acme"]);
        var workerKey = ApiKeys.NewKey();
        await host.Services.GetRequiredService<IOperationStore>().CreateApiKeyAsync(
            new CreateApiKeyParams(ApiKeys.NewId(), "acme", ApiKeys.Hash(workerKey), DateTimeOffset.UtcNow, ApiKeyScope.Worker), Http.Ct);
        await using var prism = await PrismProxy.StartAsync(host.Address);
        using var client = Client(prism.Address, host.Keys["acme"]);
        using var worker = Client(prism.Address, workerKey);
        using var anonymous = Client(prism.Address, null);

        await Call(anonymous, HttpMethod.Get, "/healthz", 200);
        await Call(anonymous, HttpMethod.Get, "/readyz", 200);
        await Call(anonymous, HttpMethod.Get, "/metrics", 200);
        await Call(anonymous, HttpMethod.Get, "/downloads/op_x/file.csv?tenant=acme&expires=1&signature=abc", 403);
        await Call(client, HttpMethod.Get, "/v1/kinds", 200);
        await Call(client, HttpMethod.Get, "/v1/overview", 200);
        await Call(client, HttpMethod.Get, "/v1/usage", 200);
        await Call(client, HttpMethod.Get, "/v1/workers", 200);
        await Call(client, HttpMethod.Get, "/v1/webhooks/secret", 200);
        await Call(client, HttpMethod.Post, "/v1/webhooks/secret/rotate?overlap_seconds=0", 200);
        await Call(client, HttpMethod.Get, "/v1/diagnostics/hold?seconds=0.05", 200);
        await Call(client, HttpMethod.Get, "/v1/proxy/nowhere/anything", 404);

        // Operations: start (idempotent replay, Prefer: wait), read, wait, request, events, list, cancel, delete.
        var quick = await Start(client, """{"kind":"sleep","input":{"seconds":0},"metadata":{"team":"a"}}""", 202, ("Idempotency-Key", "k-1"));
        await Start(client, """{"kind":"sleep","input":{"seconds":0},"metadata":{"team":"a"}}""", 202, ("Idempotency-Key", "k-1"));
        await Start(client, """{"kind":"sleep","input":{"seconds":0}}""", 200, ("Prefer", "respond-async, wait=10"));
        await Call(client, HttpMethod.Get, $"/v1/operations/{quick}/wait?timeout=10", 200);
        await Call(client, HttpMethod.Get, $"/v1/operations/{quick}", 200);
        await Call(client, HttpMethod.Get, $"/v1/operations/{quick}/request", 200);
        await Call(client, HttpMethod.Get, $"/v1/operations/{quick}/events", 200);
        await Call(client, HttpMethod.Get, $"/v1/operations/{quick}/events?after=1", 200);
        await Call(client, HttpMethod.Get, $"/v1/operations/{quick}/deliveries", 200);
        await Call(client, HttpMethod.Post, $"/v1/operations/{quick}/deliveries/dl_none/redeliver", 404);
        await Call(client, HttpMethod.Get, $"/v1/operations/{quick}/files/none.bin", 404);
        await Call(client, HttpMethod.Get, "/v1/operations?status=succeeded,failed&kind=sleep&metadata.team=a&count=true&page_size=1", 200);
        await Call(client, HttpMethod.Get, "/v1/operations?status=nonsense", 400);
        await Call(client, HttpMethod.Post, $"/v1/operations/{quick}/cancel", 409);
        await Call(client, HttpMethod.Delete, $"/v1/operations/{quick}", 204);
        await Call(client, HttpMethod.Get, $"/v1/operations/{quick}", 404);
        var slow = await Start(client, """{"kind":"sleep","input":{"seconds":3600}}""", 202);
        await Call(client, HttpMethod.Delete, $"/v1/operations/{slow}", 409);
        await Call(client, HttpMethod.Post, $"/v1/operations/{slow}/cancel", null);
        await Start(client, """{"kind":"no-such-kind","input":{}}""", 422);
        await Start(client, """{"kind":"sleep","input":{"seconds":-1}}""", 422);

        // Uploads: tus and the plain ones.
        await Call(client, HttpMethod.Options, "/v1/uploads", 204);
        var created = await Call(client, HttpMethod.Post, "/v1/uploads", 201, null, ("Tus-Resumable", "1.0.0"), ("Upload-Length", "5"));
        var upload = created.Headers.Location!.ToString().Split('/')[^1];
        await Call(client, HttpMethod.Head, $"/v1/uploads/{upload}", 200, null, ("Tus-Resumable", "1.0.0"));
        await Call(client, HttpMethod.Patch, $"/v1/uploads/{upload}", 204, Bytes("hello", "application/offset+octet-stream"), ("Tus-Resumable", "1.0.0"), ("Upload-Offset", "0"));
        await Call(client, HttpMethod.Patch, $"/v1/uploads/{upload}", 409, Bytes("x", "application/offset+octet-stream"), ("Tus-Resumable", "1.0.0"), ("Upload-Offset", "1"));
        await Call(client, HttpMethod.Get, $"/v1/uploads/{upload}", 200);
        await Call(client, HttpMethod.Get, $"/v1/uploads/{upload}/content", 200);
        await Call(client, HttpMethod.Delete, $"/v1/uploads/{upload}", 204, null, ("Tus-Resumable", "1.0.0"));
        await Call(client, HttpMethod.Get, $"/v1/uploads/{upload}", 404);
        await Call(client, HttpMethod.Put, "/v1/uploads", 201, Bytes("whole", "application/octet-stream"));

        // The worker protocol, on a kind registered at run time.
        await Call(worker, HttpMethod.Put, "/v1/kinds/remote-echo", 201, Json("""{"description":"Echoes.","input_schema":{"type":"object"}}"""));
        await Call(worker, HttpMethod.Put, "/v1/kinds/remote-echo", 200, Json("""{"description":"Echoes again."}"""));
        var remote = await Start(client, """{"kind":"remote-echo","input":{"n":1}}""", 202);
        var claim = await Call(worker, HttpMethod.Post, "/v1/workers/claim", 200, Json("""{"worker":"w1","kinds":["remote-echo"],"max":1,"wait_seconds":5}"""));
        var lease = (string)JsonNode.Parse(await claim.Content.ReadAsStringAsync(Http.Ct))!["operations"]![0]!["lease"]!["token"]!;
        await Call(worker, HttpMethod.Post, "/v1/leases/heartbeat", 200, Json($$"""{"leases":["{{lease}}"],"worker":"w1"}"""));
        await Call(worker, HttpMethod.Post, "/v1/leases/progress", 204, Lease(lease, ""","progress":{"percent":50,"message":"half"}"""));
        await Call(worker, HttpMethod.Post, "/v1/leases/checkpoint", 204, Lease(lease, ""","checkpoint":{"at":1}"""));
        await Call(worker, HttpMethod.Post, "/v1/leases/output", 204, Lease(lease, ""","chunks":["a","b"]"""));
        await Call(worker, HttpMethod.Post, "/v1/leases/watch", 200, Lease(lease, ""","wait_seconds":0"""));
        var chunk = new HttpRequestMessage(HttpMethod.Put, "/v1/leases/files/out.txt/chunks/0") { Content = Bytes("data", "application/octet-stream") };
        chunk.Headers.Add("Longhaul-Lease", lease);
        await Send(worker, chunk, 204);
        await Call(worker, HttpMethod.Post, "/v1/leases/files/out.txt/finish", 200, Lease(lease, ""","chunks":1,"length":4,"content_type":"text/plain" """));
        await Call(client, HttpMethod.Get, $"/v1/operations/{remote}/files/out.txt", 200);
        await Call(client, HttpMethod.Head, $"/v1/operations/{remote}/files/out.txt", 200);
        await Call(client, HttpMethod.Get, $"/v1/operations/{remote}/files/out.txt", 206, null, ("Range", "bytes=1-"));
        await Call(client, HttpMethod.Get, $"/v1/operations/{remote}/files/out.txt", 416, null, ("Range", "bytes=10-"));
        await Call(worker, HttpMethod.Post, "/v1/leases/complete", 204, Lease(lease, ""","result":{"ok":true}"""));
        await Call(worker, HttpMethod.Post, "/v1/leases/complete", 409, Lease(lease, ""));
        await Call(worker, HttpMethod.Post, "/v1/leases/hand-back", 400, Json("""{"lease":"not-a-token"}"""));
        foreach (var (path, body, status) in new[] { ("/v1/leases/fail", ""","code":"boom","message":"no","retryable":false""", 200), ("/v1/leases/hand-back", "", 204) })
        {
            await Start(client, """{"kind":"remote-echo","input":{}}""", 202);
            claim = await Call(worker, HttpMethod.Post, "/v1/workers/claim", 200, Json("""{"worker":"w1","kinds":["remote-echo"],"wait_seconds":5}"""));
            lease = (string)JsonNode.Parse(await claim.Content.ReadAsStringAsync(Http.Ct))!["operations"]![0]!["lease"]!["token"]!;
            await Call(worker, HttpMethod.Post, path, status, Lease(lease, body));
        }
        claim = await Call(worker, HttpMethod.Post, "/v1/workers/claim", 200, Json("""{"worker":"w1","kinds":["remote-echo"],"wait_seconds":5}"""));
        var handedBack = JsonNode.Parse(await claim.Content.ReadAsStringAsync(Http.Ct))!["operations"]![0]!;
        await Call(client, HttpMethod.Post, $"/v1/operations/{(string)handedBack["id"]!}/cancel", 202);
        await Call(worker, HttpMethod.Post, "/v1/leases/cancelled", 204, Lease((string)handedBack["lease"]!["token"]!, ""));

        Assert.True(_violations.Count == 0, "Prism reported violations:\n" + string.Join("\n", _violations) + "\n\nCalls:\n" + string.Join("\n", _calls));
        Assert.DoesNotContain("VIOLATIONS", prism.Log);
    }

    [Fact]
    public async Task Gateway_through_prism_has_no_violation()
    {
        await using var fake = await Longhaul.Tests.Proxy.FakeUpstream.StartAsync(async (context, _) =>
        {
            if (context.Request.Path == "/missing")
            {
                context.Response.StatusCode = 404;
                context.Response.ContentType = "text/plain";
            }
            else context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Path == "/missing" ? "no such thing" : """{"ok":true}""", context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(
            new Dictionary<string, string?> { ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/') }, "acme");
        await using var prism = await PrismProxy.StartAsync(host.Address);
        using var client = Client(prism.Address, host.Keys["acme"]);

        await Call(client, HttpMethod.Get, "/v1/proxy/api/x", 202, null, ("Idempotency-Key", "g-1"), ("Longhaul-Timeout-Seconds", "60"));
        await Call(client, HttpMethod.Get, "/v1/proxy/api/x", 202, null, ("Idempotency-Key", "g-1"), ("Longhaul-Timeout-Seconds", "60"));
        await Call(client, HttpMethod.Get, "/v1/proxy/api/x", 422, null, ("Idempotency-Key", "g-1"), ("Longhaul-Timeout-Seconds", "61"));
        await Call(client, HttpMethod.Get, "/v1/proxy/api/x", 400, null, ("Longhaul-Timeout-Seconds", "soon"));
        await Call(client, HttpMethod.Post, "/v1/proxy/api/x", 200, Json("""{"prompt":"hi"}"""), ("Prefer", "wait=10"));
        await Call(client, HttpMethod.Get, "/v1/proxy/api/missing", 404, null, ("Prefer", "wait=10"));
        await Call(client, HttpMethod.Get, "/v1/proxy/nowhere/x", 404);

        Assert.True(_violations.Count == 0, "Prism reported violations:\n" + string.Join("\n", _violations) + "\n\nCalls:\n" + string.Join("\n", _calls));
        Assert.DoesNotContain("VIOLATIONS", prism.Log);
    }

    private async Task<string> Start(HttpClient client, string body, int status, params (string Name, string Value)[] headers)
    {
        var response = await Call(client, HttpMethod.Post, "/v1/operations", status, Json(body), headers);
        return response.IsSuccessStatusCode ? (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(Http.Ct))!["id"]! : "";
    }

    private Task<HttpResponseMessage> Call(HttpClient client, HttpMethod method, string path, int? status, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return Send(client, request, status);
    }

    private async Task<HttpResponseMessage> Send(HttpClient client, HttpRequestMessage request, int? status)
    {
        var response = await client.SendAsync(request, Http.Ct);
        await response.Content.LoadIntoBufferAsync(Http.Ct);
        var line = $"{request.Method} {request.RequestUri} → {(int)response.StatusCode}";
        _calls.Add(line);
        if (response.Headers.TryGetValues("sl-violations", out var violations)) _violations.Add(line + ": " + string.Join(" ", violations));
        else if (status is { } expected && (int)response.StatusCode != expected) _violations.Add(line + $" (expected {expected}): " + await response.Content.ReadAsStringAsync(Http.Ct));
        return response;
    }

    private static HttpClient Client(Uri address, string? key)
    {
        var client = new HttpClient { BaseAddress = address };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static StringContent Lease(string lease, string rest) => Json("{\"lease\":\"" + lease + "\"" + rest + "}");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(string text, string type)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }
}
