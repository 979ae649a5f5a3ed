using System.Net;
using System.Text;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>The transparent async gateway <c>/v1/proxy/{upstream}/{**path}</c> against real local fake upstreams.</summary>
public sealed class GatewayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string?> Upstream(FakeUpstream fake, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/') };
        foreach (var (key, value) in extra) settings[$"Longhaul:Upstreams:api:{key}"] = value;
        return settings;
    }

    private static HttpRequestMessage Proxy(HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    [Fact]
    public async Task FastUpstream_WithPreferWait_AnswersWithTheUpstreamsOwnStatusHeadersAndBody()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["x-request-id"] = "req_7";
            context.Response.Headers["set-cookie"] = "s=1";
            await context.Response.WriteAsJsonAsync(new { created = true }, context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme");

        using var response = await host.Client.SendAsync(Proxy(HttpMethod.Post, "/v1/proxy/api/v1/things?q=a%20b", """{"prompt":"hi"}""",
            ("Prefer", "respond-async, wait=10"), ("anthropic-version", "2023-06-01"), ("X-Not-Forwarded", "1")), Http.Ct);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Http.Ct));
        Assert.Equal("""{"created":true}""", await response.Content.ReadAsStringAsync(Http.Ct));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("req_7", response.Headers.GetValues("x-request-id").Single());
        Assert.False(response.Headers.Contains("set-cookie"));
        Assert.Equal("wait=10", response.Headers.GetValues("Preference-Applied").Single());
        var id = response.Headers.GetValues("Longhaul-Operation-Id").Single();
        Assert.Matches(Http.OperationId(), id);

        var request = fake.Requests.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/things?q=a%20b", request.PathAndQuery);
        Assert.Equal("""{"prompt":"hi"}""", request.Body);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));   // the Longhaul API key never leaves
        Assert.False(request.Headers.ContainsKey("X-Not-Forwarded"));
        Assert.False(request.Headers.ContainsKey("Prefer"));

        var op = await host.Client.GetJsonAsync($"/v1/operations/{id}");
        Assert.Equal("succeeded", op.Status());
        Assert.Equal("http", op.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task UpstreamErrorStatus_WithPreferWait_IsPassedThroughNotWrapped()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("no such thing", context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme");

        using var response = await host.Client.SendAsync(Proxy(HttpMethod.Get, "/v1/proxy/api/missing", null, ("Prefer", "wait=10")), Http.Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no such thing", await response.Content.ReadAsStringAsync(Http.Ct));
        var op = await host.Client.GetJsonAsync($"/v1/operations/{response.Headers.GetValues("Longhaul-Operation-Id").Single()}");
        Assert.Equal("failed", op.Status());
        Assert.Equal("upstream_status", op.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task SlowUpstream_Answers202_ThenTheOperationSucceeds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            await release.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new { answer = 42 }, context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme");

        // Without a preference: 202 at once.
        using var first = await host.Client.SendAsync(Proxy(HttpMethod.Post, "/v1/proxy/api/slow", "{}"), Http.Ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var op = await Http.ReadJsonAsync(first);
        Assert.Equal($"/v1/operations/{op.Id()}", first.Headers.Location!.OriginalString);
        Assert.True(Http.RetryAfterSeconds(first) >= 1);
        Assert.Equal(op.Id(), first.Headers.GetValues("Longhaul-Operation-Id").Single());

        // With a preference shorter than the call: 202 once the wait runs out.
        await fake.Received.Task.WaitAsync(Bound, Http.Ct);
        using var second = await host.Client.SendAsync(Proxy(HttpMethod.Post, "/v1/proxy/api/slow", "{}", ("Prefer", "respond-async, wait=1")), Http.Ct);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.False(second.Headers.Contains("Preference-Applied"));
        var secondOp = await Http.ReadJsonAsync(second);

        release.SetResult();
        foreach (var id in new[] { op.Id(), secondOp.Id() })
        {
            var done = await host.Client.WaitDoneAsync(id);
            Assert.Equal("succeeded", done.Status());
            Assert.Equal(42, done.GetProperty("result").GetProperty("body").GetProperty("answer").GetInt32());
        }
    }

    [Fact]
    public async Task UnknownUpstream_Is404Problem_DisallowedMethodOrPath_Is422Problem()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("ok", context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(
            Upstream(fake, ("AllowedMethods:0", "GET"), ("AllowedPathPrefixes:0", "/v1/")), "acme");

        using (var response = await host.Client.SendAsync(Proxy(HttpMethod.Get, "/v1/proxy/nope/v1/x"), Http.Ct))
            await Http.AssertProblemAsync(response, 404, "upstream_not_found");
        using (var response = await host.Client.SendAsync(Proxy(HttpMethod.Post, "/v1/proxy/api/v1/x", "{}"), Http.Ct))
            await Http.AssertProblemAsync(response, 422, "validation_failed", "input.method");
        using (var response = await host.Client.SendAsync(Proxy(HttpMethod.Get, "/v1/proxy/api/admin/x"), Http.Ct))
            await Http.AssertProblemAsync(response, 422, "validation_failed", "input.path");
        using (var response = await host.CreateClient().SendAsync(Proxy(HttpMethod.Get, "/v1/proxy/api/v1/x"), Http.Ct))
            await Http.AssertProblemAsync(response, 401, "unauthorized");
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Operations_AreTenantScoped_AndIdempotencyKeyReplays()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("ok", context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme", "globex");

        using var created = await host.Client.SendAsync(Proxy(HttpMethod.Put, "/v1/proxy/api/items/1", """{"a":1}""", ("Idempotency-Key", "k-1")), Http.Ct);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await Http.ReadJsonAsync(created)).Id();

        using var replay = await host.Client.SendAsync(Proxy(HttpMethod.Put, "/v1/proxy/api/items/1", """{"a":1}""", ("Idempotency-Key", "k-1")), Http.Ct);
        Assert.Equal(id, (await Http.ReadJsonAsync(replay)).Id());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        using (var reused = await host.Client.SendAsync(Proxy(HttpMethod.Put, "/v1/proxy/api/items/1", """{"a":2}""", ("Idempotency-Key", "k-1")), Http.Ct))
            await Http.AssertProblemAsync(reused, 422, "idempotency_key_reused");

        Assert.Equal("succeeded", (await host.Client.WaitDoneAsync(id)).Status());
        var other = host.ClientFor("globex");
        using (var response = await other.GetAsync($"/v1/operations/{id}", Http.Ct))
            await Http.AssertProblemAsync(response, 404, "operation_not_found");
        Assert.DoesNotContain(await other.ListAllAsync(), o => o.Id() == id);
    }

    [Fact]
    public async Task TimeoutHeader_BoundsTheCall_TheAnswerIs504DeadlineExceeded_AndTheHeaderIsNotForwarded()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("RequestTimeout", "00:05:00")));

        using var response = await host.Client.SendAsync(Proxy(HttpMethod.Post, "/v1/proxy/api/v1/messages", "{}",
            ("Prefer", "respond-async, wait=20"), ("Longhaul-Timeout-Seconds", "1.5")), Http.Ct);

        await Http.AssertProblemAsync(response, 504, "deadline_exceeded");
        var id = response.Headers.GetValues("Longhaul-Operation-Id").Single();
        var op = await host.Client.WaitDoneAsync(id);
        var details = op.GetProperty("error").GetProperty("details");
        Assert.Equal(1.5, details.GetProperty("timeout_seconds").GetDouble());
        Assert.False((await fake.Received.Task.WaitAsync(Bound, Http.Ct)).Headers.ContainsKey("Longhaul-Timeout-Seconds"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1e3")]
    [InlineData("2592001")] // over MaxTimeout (30 days)
    [InlineData("NaN")] // double.TryParse takes it whatever the number style
    [InlineData("Infinity")]
    [InlineData("1, 2")]
    public async Task BadTimeoutHeader_Is400_AndNothingIsCreated(string value)
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("ok", context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        using var response = await host.Client.SendAsync(Proxy(HttpMethod.Get, "/v1/proxy/api/x", null, ("Longhaul-Timeout-Seconds", value)), Http.Ct);

        await Http.AssertProblemAsync(response, 400, "invalid_parameter");
        using var list = await host.Client.GetAsync("/v1/operations", Http.Ct);
        Assert.Equal(0, (await Http.ReadJsonAsync(list)).GetProperty("operations").GetArrayLength());
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task SameIdempotencyKey_WithAnotherTimeout_Is422()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("ok", context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        using var first = await host.Client.SendAsync(Proxy(HttpMethod.Get, "/v1/proxy/api/x", null, ("Idempotency-Key", "k1"), ("Longhaul-Timeout-Seconds", "60")), Http.Ct);
        using var same = await host.Client.SendAsync(Proxy(HttpMethod.Get, "/v1/proxy/api/x", null, ("Idempotency-Key", "k1"), ("Longhaul-Timeout-Seconds", "60")), Http.Ct);
        using var other = await host.Client.SendAsync(Proxy(HttpMethod.Get, "/v1/proxy/api/x", null, ("Idempotency-Key", "k1"), ("Longhaul-Timeout-Seconds", "61")), Http.Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, same.StatusCode);
        Assert.Equal(first.Headers.GetValues("Longhaul-Operation-Id").Single(), same.Headers.GetValues("Longhaul-Operation-Id").Single());
        await Http.AssertProblemAsync(other, 422, "idempotency_key_reused");
    }

    [Theory]
    [InlineData(204)]
    [InlineData(200)]
    public async Task EmptyUpstreamAnswer_WithPreferWait_IsRelayedWithItsStatusAndNoBody(int status)
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers["x-request-id"] = "req_empty";
            if (status == 200) context.Response.ContentLength = 0;
            return Task.CompletedTask;
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        using var response = await host.Client.SendAsync(Proxy(HttpMethod.Post, "/v1/proxy/api/v1/empty", "{}", ("Prefer", "respond-async, wait=10")), Http.Ct);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Http.Ct));
        Assert.Equal("req_empty", response.Headers.GetValues("x-request-id").Single());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task NestedJsonAnswer_FromAnUpstreamWithASecretHeader_IsRelayedRedacted()
    {
        var variable = "LONGHAUL_TEST_GATEWAY_" + Guid.NewGuid().ToString("N");
        var secret = "sk-gw-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            await using var fake = await FakeUpstream.StartAsync((context, request) => context.Response.WriteAsJsonAsync(new
            {
                id = "msg_1",
                content = new object[] { new { type = "text", text = "hello" }, new { type = "tool_use", input = new { nested = new[] { new { auth = request.Headers["x-api-key"] } } } } },
                usage = new { input_tokens = 3, output_tokens = 1 },
            }, context.RequestAborted));
            await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("Headers:x-api-key", $"${{env:{variable}}}")));

            using var response = await host.Client.SendAsync(Proxy(HttpMethod.Post, "/v1/proxy/api/v1/messages", "{}", ("Prefer", "respond-async, wait=10")), Http.Ct);

            var text = await response.Content.ReadAsStringAsync(Http.Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            using var body = System.Text.Json.JsonDocument.Parse(text);
            Assert.Equal("hello", body.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
            Assert.Equal("[REDACTED]", body.RootElement.GetProperty("content")[1].GetProperty("input").GetProperty("nested")[0].GetProperty("auth").GetString());
            Assert.Equal(3, body.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt32());
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.Equal(secret, fake.Requests.Single().Headers["x-api-key"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("/v1/proxy/api/api", true)]
    [InlineData("/v1/proxy/api/api/x", true)]
    [InlineData("/v1/proxy/api/api/", true)]
    [InlineData("/v1/proxy/api/apiary", false)]
    [InlineData("/v1/proxy/api/api_admin", false)]
    [InlineData("/v1/proxy/api/api%2Fx", false)]
    [InlineData("/v1/proxy/api/api%2F..%2Fadmin", false)]
    [InlineData("/v1/proxy/api/api/%2e%2e/admin", false)]
    [InlineData("/v1/proxy/api/admin", false)]
    public async Task PathPrefix_MatchesWholeSegments(string path, bool admitted)
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("ok", context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("AllowedPathPrefixes:0", "/api/")));

        using var response = await host.Client.SendAsync(Proxy(HttpMethod.Get, path, null, ("Prefer", "respond-async, wait=10")), Http.Ct);

        if (admitted)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Single(fake.Requests);
        }
        else
        {
            await Http.AssertProblemAsync(response, 422, "validation_failed", "input.path");
            Assert.Empty(fake.Requests);
        }
    }

    [Theory]
    [InlineData("""{"messages":[{"content":"hi \ud800"}]}""", "invalid_unicode", "messages[0].content")]
    [InlineData("""{"model":"a","model":"b"}""", "duplicate_member", "model")]
    public async Task JsonBodyNotIJson_IsRefusedNamingTheField_AndNothingIsSentOrStored(string json, string code, string field)
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("ok", context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme");

        using var response = await host.Client.SendAsync(Proxy(HttpMethod.Post, "/v1/proxy/api/v1/chat", json, ("Prefer", "respond-async, wait=10")), Http.Ct);

        await Http.AssertProblemAsync(response, 400, code, field);
        Assert.Empty(fake.Requests);
        Assert.Empty(await host.Client.ListAllAsync());
    }
}
