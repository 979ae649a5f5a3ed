using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>The <c>http</c> kind against real local fake upstreams, through the real HTTP API.</summary>
public sealed class HttpKindTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string?> Upstream(string name, FakeUpstream fake, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { [$"Longhaul:Upstreams:{name}:BaseUrl"] = fake.Address.ToString().TrimEnd('/') };
        foreach (var (key, value) in extra) settings[$"Longhaul:Upstreams:{name}:{key}"] = value;
        return settings;
    }

    private static async Task<List<SseEvent>> AllEventsAsync(TestHost host, string id)
    {
        using var sse = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events?after=0");
        return await sse.ReadToEndAsync();
    }

    private static List<string> OutputTexts(IEnumerable<SseEvent> events)
        => [.. events.Where(e => e.Type == "output" && e.Data.TryGetProperty("text", out _))
            .Select(e => e.Data.GetProperty("text").GetString()!)];

    private static JsonElement Error(JsonElement op) => op.GetProperty("error");

    [Fact]
    public async Task DelayedAnswer_InjectsSecretHeaders_DropsHopByHop_AndNeverStoresTheSecret()
    {
        var variable = "LONGHAUL_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        var secret = "sk-test-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            await release.Task.WaitAsync(context.RequestAborted);
            context.Response.Headers["x-request-id"] = "req_1";
            context.Response.Headers["set-cookie"] = "session=abc";
            await context.Response.WriteAsJsonAsync(new { answer = 42, echo = "ok" }, context.RequestAborted);
        });
        var settings = Upstream("api", fake, ("Headers:Authorization", $"Bearer ${{env:{variable}}}"), ("Headers:x-api-key", $"${{env:{variable}}}"));
        await using var host = await TestHost.StartWithSettingsAsync(settings);

        var op = await host.Client.StartOperationOkAsync("http", new
        {
            upstream = "api",
            method = "POST",
            path = "/v1/things",
            query = new { q = "a b", n = 2 },
            headers = new Dictionary<string, string> { ["Authorization"] = "Bearer client", ["X-API-KEY"] = "client", ["X-Custom"] = "1", ["Connection"] = "x-hop", ["x-hop"] = "1", ["Keep-Alive"] = "timeout=5" },
            body = new { prompt = "hi" },
        });
        var request = await fake.Received.Task.WaitAsync(Bound, Http.Ct);
        var running = await host.Client.GetJsonAsync($"/v1/operations/{op.Id()}");
        Assert.False(running.GetProperty("done").GetBoolean());
        release.SetResult();
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("succeeded", done.Status());
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/things?q=a%20b&n=2", request.PathAndQuery);
        Assert.Equal($"Bearer {secret}", request.Headers["Authorization"]);
        Assert.Equal(secret, request.Headers["x-api-key"]);
        Assert.Equal("1", request.Headers["X-Custom"]);
        Assert.False(request.Headers.ContainsKey("x-hop"));
        Assert.False(request.Headers.ContainsKey("Keep-Alive"));
        Assert.Equal("""{"prompt":"hi"}""", request.Body);
        var result = done.GetProperty("result");
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(42, result.GetProperty("body").GetProperty("answer").GetInt32());
        Assert.Equal("req_1", result.GetProperty("headers").GetProperty("x-request-id").GetString());
        Assert.False(result.GetProperty("headers").TryGetProperty("set-cookie", out _));

        var everything = done.GetRawText() + string.Join("\n", (await AllEventsAsync(host, op.Id())).Select(e => e.Data.GetRawText()))
            + (await host.Client.GetJsonAsync("/v1/operations")).GetRawText();
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(variable, everything, StringComparison.Ordinal);
        Environment.SetEnvironmentVariable(variable, null);
    }

    [Fact]
    public async Task AnthropicStream_TokensBecomeOutputEvents_AndResultAssemblesTextAndUsage()
    {
        string[] tokens = ["Hel", "lo", ", ", "wor", "ld", "!"];
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.AnthropicStartAsync(context.Response);
            await Sse.WriteAsync(context.Response, "content_block_start", new { type = "content_block_start", index = 0, content_block = new { type = "text", text = "" } });
            await Sse.WriteAsync(context.Response, "ping", new { type = "ping" });
            foreach (var token in tokens) await Sse.AnthropicTokenAsync(context.Response, token);
            await Sse.AnthropicEndAsync(context.Response, 15);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("anthropic", fake, ("AllowedPathPrefixes:0", "/v1/messages")));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "anthropic", method = "POST", path = "/v1/messages", body = new { model = "claude-test", stream = true } });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("succeeded", done.Status());
        var result = done.GetProperty("result");
        Assert.Equal(string.Concat(tokens), result.GetProperty("text").GetString());
        Assert.Equal("anthropic", result.GetProperty("format").GetString());
        Assert.Equal("end_turn", result.GetProperty("stop_reason").GetString());
        Assert.Equal(25, result.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(15, result.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        var events = await AllEventsAsync(host, op.Id());
        Assert.Equal(tokens, OutputTexts(events));
        Assert.Equal(3 + tokens.Length + 3, events.Count(e => e.Type == "output"));
    }

    [Fact]
    public async Task OpenAIStream_TokensBecomeOutputEvents_AndResultAssemblesTextAndUsage()
    {
        string[] tokens = ["The", " answer", " is", " 42", "."];
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, null, new { id = "c1", @object = "chat.completion.chunk", model = "gpt-test", choices = new[] { new { index = 0, delta = (object)new { role = "assistant", content = "" }, finish_reason = (string?)null } } });
            foreach (var token in tokens)
                await Sse.WriteAsync(context.Response, null, new { id = "c1", @object = "chat.completion.chunk", model = "gpt-test", choices = new[] { new { index = 0, delta = (object)new { content = token }, finish_reason = (string?)null } } });
            await Sse.WriteAsync(context.Response, null, new { id = "c1", @object = "chat.completion.chunk", model = "gpt-test", choices = new[] { new { index = 0, delta = (object)new { }, finish_reason = (string?)"stop" } } });
            await Sse.WriteAsync(context.Response, null, new { id = "c1", @object = "chat.completion.chunk", model = "gpt-test", choices = Array.Empty<object>(), usage = new { prompt_tokens = 9, completion_tokens = 5, total_tokens = 14 } });
            await Sse.WriteAsync(context.Response, null, "[DONE]");
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("openai", fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "openai", method = "POST", path = "/v1/chat/completions", body = new { stream = true } });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("succeeded", done.Status());
        var result = done.GetProperty("result");
        Assert.Equal(string.Concat(tokens), result.GetProperty("text").GetString());
        Assert.Equal("openai", result.GetProperty("format").GetString());
        Assert.Equal("stop", result.GetProperty("stop_reason").GetString());
        Assert.Equal(14, result.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(9, result.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        var events = await AllEventsAsync(host, op.Id());
        Assert.Equal(tokens, OutputTexts(events));
        Assert.Equal("[DONE]", events.Last(e => e.Type == "output").Data.GetProperty("data").GetString());
    }

    [Fact]
    public async Task UpstreamThatHangs_TimesOut_WithUpstreamTimeout_AndTheRequestIsAborted()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("slow", fake, ("RequestTimeout", "00:00:01")));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "slow", method = "GET", path = "/hang" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_timeout", Error(done).GetProperty("code").GetString());
        await fake.Aborted.Task.WaitAsync(Bound, Http.Ct);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task TooManyRequests_WithRetryAfter_IsRetriedAfterTheDelay()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, request) =>
        {
            if (request.Number == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
            }
            await context.Response.WriteAsync("fine", context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("api", fake, ("Retry:BaseDelay", "00:00:00.010")));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "POST", path = "/x", body = "text body" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("succeeded", done.Status());
        Assert.Equal("fine", done.GetProperty("result").GetProperty("body").GetString());
        var requests = fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(Stopwatch.GetElapsedTime(requests[0].At, requests[1].At) >= TimeSpan.FromMilliseconds(950), "Retry-After: 1 was not honoured");
        Assert.Equal("text body", requests[1].Body);
    }

    [Fact]
    public async Task ServiceUnavailable_ThenOk_IsRetried()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, request) =>
        {
            if (request.Number == 1)
            {
                context.Response.StatusCode = 503;
                return;
            }
            await context.Response.WriteAsJsonAsync(new { ok = true }, context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("api", fake, ("Retry:BaseDelay", "00:00:00.010")));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "POST", path = "/x", body = new { } });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("succeeded", done.Status());
        Assert.True(done.GetProperty("result").GetProperty("body").GetProperty("ok").GetBoolean());
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task ConnectionRefused_IsRetried_ThenFails_WithUpstreamUnreachable()
    {
        var closed = await FakeUpstream.StartAsync((context, _) => Task.CompletedTask);
        var settings = Upstream("gone", closed, ("Retry:BaseDelay", "00:00:00.010"), ("Retry:MaxRetries", "2"));
        await closed.DisposeAsync(); // Nothing listens on that port any more.
        await using var host = await TestHost.StartWithSettingsAsync(settings);

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "gone", method = "POST", path = "/x", body = new { } });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_unreachable", Error(done).GetProperty("code").GetString());
    }

    [Fact]
    public async Task NonRetryableStatus_Fails_WithTheUpstreamsAnswerInDetails()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = new { type = "invalid_request_error", message = "bad" } }, context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("api", fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/x" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_status", Error(done).GetProperty("code").GetString());
        var details = Error(done).GetProperty("details");
        Assert.Equal(400, details.GetProperty("status").GetInt32());
        Assert.Equal("bad", details.GetProperty("body").GetProperty("error").GetProperty("message").GetString());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task ResetInTheMiddleOfAStream_Fails_KeepsTheTokensSoFar_AndIsNotRetried()
    {
        var reset = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.AnthropicStartAsync(context.Response);
            await Sse.AnthropicTokenAsync(context.Response, "partial ");
            await Sse.AnthropicTokenAsync(context.Response, "answer");
            await reset.Task.WaitAsync(context.RequestAborted);
            context.Abort();
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("anthropic", fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "anthropic", method = "POST", path = "/v1/messages", body = new { stream = true } });
        // From the log's start: without a position the stream begins with a snapshot and only later events, so tokens
        // written before it connected (a slow test host) would never come and the upstream would wait forever.
        using (var watcher = await SseClient.OpenAsync(host.Client, $"/v1/operations/{op.Id()}/events?after=0"))
        {
            // Reset only once both tokens went through, so the break is in the middle of the stream. A done event
            // before that ends the wait too: the assertions below then say what happened instead of a read timeout.
            while (await watcher.ReadEventAsync() is { } e && e.Type != "done" && !(e.Type == "output" && e.Data.TryGetProperty("text", out var t) && t.GetString() == "answer"))
            {
            }
        }
        reset.SetResult();
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_stream_interrupted", Error(done).GetProperty("code").GetString());
        Assert.Equal(["partial ", "answer"], OutputTexts(await AllEventsAsync(host, op.Id())));
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task RedirectToAPrivateAddress_IsNotFollowed()
    {
        await using var target = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("internal secrets", context.RequestAborted));
        await using var fake = await FakeUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = new Uri(target.Address, "/latest/meta-data").ToString();
            return Task.CompletedTask;
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("api", fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/moved" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_status", Error(done).GetProperty("code").GetString());
        Assert.Equal(302, Error(done).GetProperty("details").GetProperty("status").GetInt32());
        Assert.Empty(target.Requests);
        Assert.DoesNotContain("internal secrets", done.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseOverTheCap_Fails_WithResponseTooLarge()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync(new string('x', 5000), context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("api", fake, ("MaxResponseBytes", "1000")));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/big" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_response_too_large", Error(done).GetProperty("code").GetString());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task CancellingTheOperation_AbortsTheUpstreamRequest()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("api", fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "POST", path = "/long", body = new { } });
        await fake.Received.Task.WaitAsync(Bound, Http.Ct);
        using var cancel = await host.Client.PostAsync($"/v1/operations/{op.Id()}/cancel", null, Http.Ct);
        Assert.True(cancel.IsSuccessStatusCode, cancel.StatusCode.ToString());

        await fake.Aborted.Task.WaitAsync(Bound, Http.Ct);
        var done = await host.Client.WaitDoneAsync(op.Id());
        Assert.Equal("cancelled", done.Status());
    }

    [Fact]
    public async Task WatcherReconnectingWithLastEventId_GetsTheRestOfTheTokens_NoneMissingOrRepeated()
    {
        string[] tokens = ["one ", "two ", "three ", "four ", "five ", "six"];
        var next = Channel.CreateUnbounded<int>();
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.AnthropicStartAsync(context.Response);
            for (var i = 0; i < tokens.Length; i++)
            {
                Assert.Equal(i, await next.Reader.ReadAsync(context.RequestAborted));
                await Sse.AnthropicTokenAsync(context.Response, tokens[i]);
            }
            await Sse.AnthropicEndAsync(context.Response, tokens.Length);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("anthropic", fake));
        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "anthropic", method = "POST", path = "/v1/messages", body = new { stream = true } });

        var seen = new List<string>();
        long lastId;
        using (var watcher = await SseClient.OpenAsync(host.Client, $"/v1/operations/{op.Id()}/events"))
        {
            lastId = 0;
            for (var i = 0; i < 3; i++)
            {
                await next.Writer.WriteAsync(i, Http.Ct);
                while (true)
                {
                    var e = await watcher.ReadEventAsync();
                    Assert.NotNull(e);
                    lastId = e.Id;
                    if (e.Type == "output" && e.Data.TryGetProperty("text", out var text))
                    {
                        seen.Add(text.GetString()!);
                        break;
                    }
                }
            }
        } // The watcher disconnects mid-stream.
        for (var i = 3; i < tokens.Length; i++) await next.Writer.WriteAsync(i, Http.Ct);

        using var again = await SseClient.OpenAsync(host.Client, $"/v1/operations/{op.Id()}/events", lastEventId: lastId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rest = await again.ReadToEndAsync();
        Assert.All(rest, e => Assert.True(e.Id > lastId));
        seen.AddRange(OutputTexts(rest));

        Assert.Equal(tokens, seen);
        var done = rest.Last(e => e.Type == "done").Data;
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(string.Concat(tokens), done.GetProperty("result").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("""{"upstream":"nope","method":"GET","path":"/x"}""", "input.upstream")]
    [InlineData("""{"upstream":"api","method":"DELETE","path":"/v1/x"}""", "input.method")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/v1/../admin"}""", "input.path")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/v1/%2e%2e/admin"}""", "input.path")]
    [InlineData("""{"upstream":"api","method":"GET","path":"http://169.254.169.254/v1/"}""", "input.path")]
    [InlineData("""{"upstream":"api","method":"GET","path":"//evil.example/v1/"}""", "input.path")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/admin"}""", "input.path")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/v1_admin/x"}""", "input.path")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/v1x"}""", "input.path")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/v1%2Fx"}""", "input.path")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/v1/x","headers":{"X-A":1}}""", "input.headers.X-A")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/v1/x","stream":"yes"}""", "input.stream")]
    [InlineData("""{"upstream":"api","method":"GET","path":"/v1/x","url":"http://x"}""", "input.url")]
    public async Task BadInput_Answers422_NamingTheField(string input, string field)
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => Task.CompletedTask);
        await using var host = await TestHost.StartWithSettingsAsync(Upstream("api", fake, ("AllowedMethods:0", "GET"), ("AllowedMethods:1", "POST"), ("AllowedPathPrefixes:0", "/v1/")));

        using var response = await host.Client.PostAsync("/v1/operations", Http.Json($$"""{"kind":"http","input":{{input}}}"""), Http.Ct);

        await Http.AssertProblemAsync(response, 422, "validation_failed", field);
        Assert.Empty(fake.Requests);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }
}
