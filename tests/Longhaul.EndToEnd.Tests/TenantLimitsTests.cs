using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Issue 19's admission limits against the real binary (SQLite): each limit hit by tenant <c>acme</c> answers 429 with
/// <c>Retry-After</c> (413 for stored bytes), stores nothing, and leaves tenant <c>globex</c> creating, streaming and
/// uploading normally; limits set through the operator API and <c>longhaul tenants</c>.
/// </summary>
public sealed class TenantLimitsTests : RemoteWorkerTest
{
    private string _operatorKey = "";
    private string _globexKey = "";
    private string _initechKey = "";
    private string _globexWorkerKey = "";

    private async Task StartWithTenantsAsync(params (string Key, string Value)[] extra)
    {
        _operatorKey = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "operator");
        _globexKey = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--tenant", "globex");
        _initechKey = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--tenant", "initech");
        _globexWorkerKey = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "worker", "--tenant", "globex");
        await StartAsync([LongLease, .. extra]);
    }

    [Fact]
    public async Task Limits_PendingConnectionsStoredBytesAndRate_RefusedWithRetryAfter_NothingStored_OtherTenantUnaffected()
    {
        await StartWithTenantsAsync();
        await SetLimitsAsync("acme", """{"max_pending":2,"max_connections":1,"max_stored_bytes":1000}""");
        await SetLimitsAsync("initech", """{"create_rate_per_second":0.01,"create_burst":2}""");

        // Pending: two wait (no worker claims noop), the third is refused and not stored.
        var first = await Api.StartAsync(ClientKey, "noop", new JsonObject());
        await Api.StartAsync(ClientKey, "noop", new JsonObject());
        using (var refused = await SendAsync(HttpMethod.Post, "/v1/operations", ClientKey, """{"kind":"noop","input":{}}"""))
            await AssertRefusedAsync(refused, 429, "tenant_pending_limit");
        var acmeList = await Api.GetAsync(ClientKey, "/v1/operations?page_size=100");
        Assert.Equal(2, acmeList["operations"]!.AsArray().Count);
        for (var i = 0; i < 3; i++) await Api.StartAsync(_globexKey, "noop", new JsonObject());
        var globexOp = await Api.StartAsync(_globexKey, "noop", new JsonObject());

        // Connections: acme holds its one stream; more streams and long-polls are refused until it closes.
        var stream = await SseStream.OpenAsync(ClientHttp, $"/v1/operations/{first}/events", null, Ct);
        Assert.Equal("snapshot", (await stream.ReadAsync(LineTimeout, Ct))!.Type);
        foreach (var path in new[] { $"/v1/operations/{first}/events", $"/v1/operations/{first}/wait?timeout=1", "/v1/events" })
        {
            using var busy = await SendAsync(HttpMethod.Get, path, ClientKey);
            await AssertRefusedAsync(busy, 429, "connection_limit");
        }
        using var globexHttp = Client(_globexKey);
        await using (var globexStream = await SseStream.OpenAsync(globexHttp, $"/v1/operations/{globexOp}/events", null, Ct))
            Assert.Equal("snapshot", (await globexStream.ReadAsync(LineTimeout, Ct))!.Type);
        await stream.DisposeAsync();
        var released = await Eventually.ValueAsync(async () =>
        {
            using var wait = await SendAsync(HttpMethod.Get, $"/v1/operations/{first}/wait?timeout=0", ClientKey);
            return wait.StatusCode;
        }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, released);

        // Stored bytes: an upload reserves its length; past the limit 413, for tus too (with Tus-Resumable).
        using (var stored = await SendBytesAsync(HttpMethod.Put, "/v1/uploads", ClientKey, new byte[600])) Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        using (var over = await SendBytesAsync(HttpMethod.Put, "/v1/uploads", ClientKey, new byte[600])) await AssertRefusedAsync(over, 413, "storage_limit_exceeded", retryAfter: false);
        using (var tus = await SendBytesAsync(HttpMethod.Post, "/v1/uploads", ClientKey, null, ("Tus-Resumable", "1.0.0"), ("Upload-Length", "600")))
        {
            await AssertRefusedAsync(tus, 413, "storage_limit_exceeded", retryAfter: false);
            Assert.Equal("1.0.0", tus.Headers.GetValues("Tus-Resumable").Single());
        }
        for (var i = 0; i < 2; i++)
        {
            using var theirs = await SendBytesAsync(HttpMethod.Put, "/v1/uploads", _globexKey, new byte[600]);
            Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        }

        // Create rate: initech's key has a bucket of 2 refilling once a 100 s.
        await Api.StartAsync(_initechKey, "noop", new JsonObject());
        await Api.StartAsync(_initechKey, "noop", new JsonObject());
        using (var limited = await SendAsync(HttpMethod.Post, "/v1/operations", _initechKey, """{"kind":"noop","input":{}}"""))
        {
            await AssertRefusedAsync(limited, 429, "rate_limited");
            Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 101);
        }
        Assert.Equal(2, (await Api.GetAsync(_initechKey, "/v1/operations"))["operations"]!.AsArray().Count);
        await Api.StartAsync(_globexKey, "noop", new JsonObject());

        // Usage: the caller's tenant against its limits; the operator sees every tenant.
        var usage = await Api.GetAsync(ClientKey, "/v1/usage");
        Assert.Equal(2, usage["pending"]!.GetValue<long>());
        Assert.Equal(600, usage["stored_bytes"]!.GetValue<long>());
        Assert.Equal(2, usage["limits"]!["max_pending"]!.GetValue<int>());
        Assert.Equal(1000, usage["limits"]!["max_stored_bytes"]!.GetValue<long>());
        var all = await Api.GetAsync(_operatorKey, "/v1/usage");
        Assert.Equal(["acme", "globex", "initech"], all["tenants"]!.AsArray().Select(t => t!["tenant"]!.GetValue<string>()));
        var globex = await Api.GetAsync(_operatorKey, "/v1/usage?tenant=globex");
        Assert.Equal(5, globex["pending"]!.GetValue<long>());
        Assert.Equal(1200, globex["upload_bytes"]!.GetValue<long>());
        var (foreign, problem) = await Api.SendAsync(HttpMethod.Get, "/v1/usage?tenant=globex", ClientKey);
        Assert.Equal(HttpStatusCode.Forbidden, foreign);
        Assert.Equal("wrong_key_scope", problem!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task EventLimit_RemoteWorkerWritesPastIt_OperationFailsEventLimitExceeded_OtherTenantWritesOn()
    {
        await StartWithTenantsAsync();
        await SetLimitsAsync("acme", """{"max_events_per_operation":3}""");
        var mine = await Api.StartAsync(ClientKey, "noop", new JsonObject());
        var theirs = await Api.StartAsync(_globexKey, "noop", new JsonObject());
        var lease = await ClaimTokenAsync(WorkerKey);
        var theirLease = await ClaimTokenAsync(_globexWorkerKey);

        // The claim wrote event 1; two outputs fit, the third fails the operation.
        var (status, body) = await Api.PostAsync("/v1/leases/output", WorkerKey, new JsonObject { ["lease"] = lease, ["chunks"] = new JsonArray("a", "b", "c", "d") });
        var (ok, _) = await Api.PostAsync("/v1/leases/output", _globexWorkerKey, new JsonObject { ["lease"] = theirLease, ["chunks"] = new JsonArray("a", "b", "c", "d", "e", "f") });

        // The worker is told why its work stopped (not lease_lost), and a retried call gets the same answer.
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("event_limit_exceeded", body!["code"]!.GetValue<string>());
        Assert.Contains("2 of the chunks were written", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var (retried, again) = await Api.PostAsync("/v1/leases/output", WorkerKey, new JsonObject { ["lease"] = lease, ["chunks"] = new JsonArray("c") });
        Assert.Equal(HttpStatusCode.Conflict, retried);
        Assert.Equal("event_limit_exceeded", again!["code"]!.GetValue<string>());
        var (progress, refused) = await Api.PostAsync("/v1/leases/progress", WorkerKey, new JsonObject { ["lease"] = lease, ["progress"] = new JsonObject { ["percent"] = 50 } });
        Assert.Equal(HttpStatusCode.Conflict, progress);
        Assert.Equal("event_limit_exceeded", refused!["code"]!.GetValue<string>());
        var failed = await Api.GetAsync(ClientKey, $"/v1/operations/{mine}");
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("event_limit_exceeded", failed["error"]!["code"]!.GetValue<string>());
        var log = await LogAsync(mine);
        Assert.Equal(["a", "b"], log.Where(e => e.Type == "output").Select(e => e.Json!.GetValue<string>()));
        Assert.Equal("done", log[^1].Type);
        Assert.Equal(HttpStatusCode.NoContent, ok);
        var (completed, _) = await Api.PostAsync("/v1/leases/complete", _globexWorkerKey, new JsonObject { ["lease"] = theirLease, ["result"] = 1 });
        Assert.Equal(HttpStatusCode.NoContent, completed);
        Assert.Equal("succeeded", (await Api.GetAsync(_globexKey, $"/v1/operations/{theirs}"))["status"]!.GetValue<string>());

        // Counted once, by the call that ended it, as the in-process engine counts it; the retried calls count nothing.
        using var scrape = await Server.Http.GetAsync("/metrics", Ct);
        var metrics = PrometheusText.Parse(await scrape.Content.ReadAsStringAsync(Ct));
        Assert.Equal(1, metrics.Sum("longhaul_limits_refusals_total", ("limit", "max_events_per_operation")));
        Assert.Equal(1, metrics.Sum("longhaul_operations_finished_total", ("kind", "noop"), ("status", "failed"), ("error_code", "event_limit_exceeded")));
        Assert.Equal(1, metrics.Sum("longhaul_operations_finished_total", ("error_code", "event_limit_exceeded")));
    }

    [Fact]
    public async Task WorkerLongPolls_WaitingClaimAndLeaseWatch_HoldTheTenantsConnectionSlots()
    {
        await StartWithTenantsAsync();
        await SetLimitsAsync("acme", """{"max_connections":1}""");
        var op = await Api.StartAsync(ClientKey, "noop", new JsonObject());
        var lease = await ClaimTokenAsync(WorkerKey);

        // acme's client holds the one slot: the worker's waiting claim and lease watch are refused, their quick forms not.
        var stream = await SseStream.OpenAsync(ClientHttp, $"/v1/operations/{op}/events", null, Ct);
        Assert.Equal("snapshot", (await stream.ReadAsync(LineTimeout, Ct))!.Type);
        using (var claim = await SendAsync(HttpMethod.Post, "/v1/workers/claim", WorkerKey, """{"worker":"w","kinds":["noop"],"wait_seconds":1}"""))
            await AssertRefusedAsync(claim, 429, "connection_limit");
        using (var watch = await SendAsync(HttpMethod.Post, "/v1/leases/watch", WorkerKey, new JsonObject { ["lease"] = lease, ["wait_seconds"] = 1 }.ToJsonString()))
            await AssertRefusedAsync(watch, 429, "connection_limit");
        var (quick, answer) = await Api.PostAsync("/v1/leases/watch", WorkerKey, new JsonObject { ["lease"] = lease, ["wait_seconds"] = 0 });
        Assert.Equal(HttpStatusCode.OK, quick);
        Assert.True(answer!["held"]!.GetValue<bool>());

        // Globex's worker is not affected; once acme's stream closes, its watch waits again.
        await Api.StartAsync(_globexKey, "noop", new JsonObject());
        var theirs = await ClaimTokenAsync(_globexWorkerKey);
        var (theirWatch, _) = await Api.PostAsync("/v1/leases/watch", _globexWorkerKey, new JsonObject { ["lease"] = theirs, ["wait_seconds"] = 0.2 });
        Assert.Equal(HttpStatusCode.OK, theirWatch);
        await stream.DisposeAsync();
        var released = await Eventually.ValueAsync(async () =>
        {
            var (status, _) = await Api.PostAsync("/v1/leases/watch", WorkerKey, new JsonObject { ["lease"] = lease, ["wait_seconds"] = 0.2 });
            return status;
        }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, released);
    }

    [Fact]
    public async Task OperatorApi_ScopesBadInputAndCli_4xxProblemsAndNothingChanged()
    {
        await StartWithTenantsAsync();
        var set = await SetLimitsAsync("acme", """{"max_pending":7,"create_rate_per_second":2.5}""");
        Assert.Equal(7, set["overrides"]!["max_pending"]!.GetValue<int>());
        Assert.Null(set["overrides"]!["max_running"]);
        Assert.Equal(1, set["limits"]!["weight"]!.GetValue<int>());

        foreach (var key in new[] { ClientKey, WorkerKey })
        {
            foreach (var (method, path) in new[] { (HttpMethod.Get, "/v1/tenants"), (HttpMethod.Get, "/v1/tenants/acme/limits") })
            {
                var (status, problem) = await Api.SendAsync(method, path, key);
                Assert.Equal(HttpStatusCode.Forbidden, status);
                Assert.Equal("wrong_key_scope", problem!["code"]!.GetValue<string>());
            }
            var (put, putProblem) = await Api.PutAsync("/v1/tenants/acme/limits", key, """{"max_pending":1}""");
            Assert.Equal(HttpStatusCode.Forbidden, put);
            Assert.Equal("wrong_key_scope", putProblem!["code"]!.GetValue<string>());
        }
        var (start, startProblem) = await Api.PostAsync("/v1/operations", _operatorKey, """{"kind":"noop","input":{}}""");
        Assert.Equal(HttpStatusCode.Forbidden, start);
        Assert.Equal("wrong_key_scope", startProblem!["code"]!.GetValue<string>());

        var bad = await Api.PutAsync("/v1/tenants/acme/limits", _operatorKey, """{"max_pending":0,"create_burst":"ten","weight":1.5,"max_stored_bytes":-1,"create_rate_per_second":0,"colour":"red"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Equal("validation_failed", bad.Body!["code"]!.GetValue<string>());
        Assert.Equal(["colour", "create_burst", "create_rate_per_second", "max_pending", "max_stored_bytes", "weight"],
            bad.Body["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal((HttpStatusCode.BadRequest, "malformed_json"), Code(await Api.PutAsync("/v1/tenants/acme/limits", _operatorKey, """{"max_pending":""")));
        Assert.Equal((HttpStatusCode.BadRequest, "duplicate_member"), Code(await Api.PutAsync("/v1/tenants/acme/limits", _operatorKey, """{"max_pending":1,"max_pending":2}""")));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "validation_failed"), Code(await Api.PutAsync("/v1/tenants/acme/limits", _operatorKey, "[1]")));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_parameter"), Code(await Api.PutAsync("/v1/tenants/Not%20A%20Tenant/limits", _operatorKey, "{}")));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_parameter"), Code(await Api.SendAsync(HttpMethod.Get, "/v1/tenants/%2A/limits", _operatorKey)));
        using (var text = await SendAsync(HttpMethod.Put, "/v1/tenants/acme/limits", _operatorKey, "max_pending=1", "text/plain"))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        var unchanged = await Api.GetAsync(_operatorKey, "/v1/tenants/acme/limits");
        Assert.Equal(7, unchanged["overrides"]!["max_pending"]!.GetValue<int>());
        Assert.Equal(2.5, unchanged["overrides"]!["create_rate_per_second"]!.GetValue<double>());

        // The CLI writes the same store: the server sees it at once for reads of the store, within 2 s for admission.
        var cli = await Env.RunAsync(null, ["tenants", "set", "globex", "--max-pending", "1", "--max-events", "50", .. StoreArgs]);
        Assert.True(cli.ExitCode == 0, cli.Output);
        var wrong = await Env.RunAsync(null, ["tenants", "set", "globex", "--max-pending", "0", .. StoreArgs]);
        Assert.Equal(2, wrong.ExitCode);
        var get = await Env.RunAsync(null, ["tenants", "get", "globex", .. StoreArgs]);
        Assert.Equal(1, JsonNode.Parse(get.Stdout)!["overrides"]!["max_pending"]!.GetValue<int>());
        var list = await Env.RunAsync(null, ["tenants", "list", .. StoreArgs]);
        Assert.Contains("globex\t", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("initech\tdefaults", list.Stdout, StringComparison.Ordinal);
        var tenants = await Api.GetAsync(_operatorKey, "/v1/tenants");
        var globex = tenants["tenants"]!.AsArray().Single(t => t!["tenant"]!.GetValue<string>() == "globex")!;
        Assert.Equal(50, globex["limits"]!["max_events_per_operation"]!.GetValue<int>());
        await Api.StartAsync(_globexKey, "noop", new JsonObject());
        var second = await Eventually.ValueAsync(async () =>
        {
            var (status, problem) = await Api.PostAsync("/v1/operations", _globexKey, """{"kind":"noop","input":{}}""");
            return (status, problem?["code"]?.GetValue<string>());
        }, r => r.Item1 == HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(10));
        Assert.Equal((HttpStatusCode.TooManyRequests, "tenant_pending_limit"), second);
    }

    [Fact]
    public async Task AuthFailures_WrongKeysFromOneAddress_429ThenEvenARightKey_RightKeyFromAnotherAddressUnaffected()
    {
        await StartWithTenantsAsync(("Longhaul__Http__AuthFailures__MaxFailures", "3"), ("Longhaul__Http__AuthFailures__Window", "00:10:00"));
        using var guesser = Client("lh_wrong", IPAddress.Parse("127.0.0.3"));
        using var honest = Client(ClientKey, IPAddress.Parse("127.0.0.4"));
        using var sameAddress = Client(ClientKey, IPAddress.Parse("127.0.0.3"));

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await guesser.GetAsync("/v1/operations", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using (var blocked = await guesser.GetAsync("/v1/operations", Ct)) await AssertRefusedAsync(blocked, 429, "auth_rate_limited");
        using (var blockedRight = await sameAddress.GetAsync("/v1/operations", Ct)) await AssertRefusedAsync(blockedRight, 429, "auth_rate_limited");
        using var fine = await honest.GetAsync("/v1/operations", Ct);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);

        // Both refusals counted on /metrics (meter Longhaul.Limits), the wrong keys before the block not.
        using var scrape = await Server.Http.GetAsync("/metrics", Ct);
        var metrics = PrometheusText.Parse(await scrape.Content.ReadAsStringAsync(Ct));
        Assert.Equal(2, metrics.Sum("longhaul_limits_refusals_total", ("limit", "auth_failures")));
        Assert.Equal(2, metrics.Sum("longhaul_limits_refusals_total"));
    }

    private async Task<JsonNode> SetLimitsAsync(string tenant, string json)
    {
        var (status, body) = await Api.PutAsync($"/v1/tenants/{tenant}/limits", _operatorKey, json);
        Assert.True(status == HttpStatusCode.OK, $"PUT limits answered {(int)status}: {body?.ToJsonString()}\n{Env.Logs}");
        return body!;
    }

    private async Task<string> ClaimTokenAsync(string key)
    {
        var (status, body) = await Api.PostAsync("/v1/workers/claim", key, """{"worker":"w","kinds":["noop"],"max":1}""");
        Assert.True(status == HttpStatusCode.OK, $"claim answered {(int)status}: {body?.ToJsonString()}");
        return body!["operations"]![0]!["lease"]!["token"]!.GetValue<string>();
    }

    private static (HttpStatusCode, string?) Code((HttpStatusCode Status, JsonNode? Body) answer) => (answer.Status, answer.Body?["code"]?.GetValue<string>());

    private static async Task AssertRefusedAsync(HttpResponseMessage response, int status, string code, bool retryAfter = true)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonNode.Parse(body)!["code"]!.GetValue<string>());
        if (retryAfter) Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"no Retry-After on {code}");
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, contentType);
        return Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }

    private Task<HttpResponseMessage> SendBytesAsync(HttpMethod method, string path, string key, byte[]? body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null) request.Content = new ByteArrayContent(body);
        return Server.Http.SendAsync(request, Ct);
    }

    /// <summary>A client with <paramref name="key"/>, its connections made from <paramref name="from"/> (a loopback address) when given.</summary>
    private HttpClient Client(string key, IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler();
        if (from is not null)
        {
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        var http = new HttpClient(handler) { BaseAddress = Server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}
