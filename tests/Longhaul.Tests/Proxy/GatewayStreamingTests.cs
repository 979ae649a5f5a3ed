using System.Net;
using System.Text;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>The gateway with <c>Prefer: wait</c> relays an upstream's <c>text/event-stream</c> answer live.</summary>
public sealed class GatewayStreamingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string?> Upstream(FakeUpstream fake)
        => new() { ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/') };

    private static HttpRequestMessage StreamRequest(string path, string wait = "respond-async, wait=20")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("""{"stream":true}""", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Prefer", wait);
        return request;
    }

    /// <summary>Reads the response until <paramref name="marker"/> has arrived; returns everything read.</summary>
    private static async Task<string> ReadUntilAsync(StreamReader reader, StringBuilder seen, string marker)
    {
        var buffer = new char[256];
        while (!seen.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await reader.ReadAsync(buffer, Http.Ct).AsTask().WaitAsync(Bound, Http.Ct);
            if (read == 0) break;
            seen.Append(buffer, 0, read);
        }
        return seen.ToString();
    }

    [Fact]
    public async Task StreamingUpstream_TokensReachTheWaitingClient_BeforeTheUpstreamFinishes_AsTheUpstreamsOwnEvents()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.AnthropicStartAsync(context.Response);
            await Sse.AnthropicTokenAsync(context.Response, "Hel");
            await Sse.AnthropicTokenAsync(context.Response, "lo");
            // The rest only once the client has seen the first tokens: proof that they were relayed live.
            await release.Task.WaitAsync(context.RequestAborted);
            await Sse.AnthropicTokenAsync(context.Response, ", world");
            await Sse.AnthropicEndAsync(context.Response, 3);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme");

        using var response = await host.Client.SendAsync(StreamRequest("/v1/proxy/api/v1/messages"), HttpCompletionOption.ResponseHeadersRead, Http.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("wait=20", response.Headers.GetValues("Preference-Applied").Single());
        var id = response.Headers.GetValues("Longhaul-Operation-Id").Single();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Http.Ct));
        var seen = new StringBuilder();

        await ReadUntilAsync(reader, seen, "\"text\":\"lo\"");
        Assert.DoesNotContain("world", seen.ToString(), StringComparison.Ordinal);
        release.SetResult();
        var all = seen.Append(await reader.ReadToEndAsync(Http.Ct).WaitAsync(Bound, Http.Ct)).ToString();

        Assert.StartsWith("event: message_start\ndata: {\"type\":\"message_start\"", all, StringComparison.Ordinal);
        Assert.Contains("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\", world\"}}\n\n", all, StringComparison.Ordinal);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", all, StringComparison.Ordinal);
        var op = await host.Client.WaitDoneAsync(id);
        Assert.Equal("Hello, world", op.GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task FastOpenAIStream_FinishedWithinTheWait_IsStillAnEventStream_EndingWithDone()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            foreach (var token in new[] { "a", "b" })
                await Sse.WriteAsync(context.Response, null, new { @object = "chat.completion.chunk", choices = new[] { new { index = 0, delta = new { content = token } } } });
            await Sse.WriteAsync(context.Response, null, "[DONE]");
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme");

        using var response = await host.Client.SendAsync(StreamRequest("/v1/proxy/api/v1/chat/completions"), Http.Ct);
        var all = await response.Content.ReadAsStringAsync(Http.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
            + "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\n\n"
            + "data: [DONE]\n\n",
            all);
    }

    [Fact]
    public async Task StreamBrokenMidway_TheRelayedStreamIsCutToo_AndTheOperationSaysWhy()
    {
        var reset = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.AnthropicStartAsync(context.Response);
            await Sse.AnthropicTokenAsync(context.Response, "partial");
            await reset.Task.WaitAsync(context.RequestAborted);
            context.Abort();
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme");

        using var response = await host.Client.SendAsync(StreamRequest("/v1/proxy/api/v1/messages"), HttpCompletionOption.ResponseHeadersRead, Http.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("Longhaul-Operation-Id").Single();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Http.Ct));
        var seen = new StringBuilder();
        await ReadUntilAsync(reader, seen, "\"text\":\"partial\"");
        reset.SetResult();

        await Assert.ThrowsAnyAsync<IOException>(() => reader.ReadToEndAsync(Http.Ct).WaitAsync(Bound, Http.Ct));

        var op = await host.Client.WaitDoneAsync(id);
        Assert.Equal("upstream_stream_interrupted", op.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RelayedStream_CarriesTheUpstreamsStatusAndHeaders_AndTheFirstOutputEventHasThem()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            context.Response.StatusCode = 201;
            context.Response.Headers["request-id"] = "req_42";
            context.Response.Headers["anthropic-ratelimit-requests-remaining"] = "99";
            context.Response.Headers["set-cookie"] = "s=1";
            context.Response.Headers.CacheControl = "max-age=600";
            await Sse.AnthropicStartAsync(context.Response);
            await Sse.AnthropicTokenAsync(context.Response, "Hi");
            await release.Task.WaitAsync(context.RequestAborted);
            await Sse.AnthropicEndAsync(context.Response, 1);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme");

        // Live: the headers are there while the upstream is still streaming.
        using var response = await host.Client.SendAsync(StreamRequest("/v1/proxy/api/v1/messages"), HttpCompletionOption.ResponseHeadersRead, Http.Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("req_42", response.Headers.GetValues("request-id").Single());
        Assert.Equal("99", response.Headers.GetValues("anthropic-ratelimit-requests-remaining").Single());
        Assert.False(response.Headers.Contains("set-cookie"));
        Assert.True(response.Headers.CacheControl is { NoCache: true, NoTransform: true, MaxAge: null }, response.Headers.CacheControl?.ToString());
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        release.SetResult();
        var all = await response.Content.ReadAsStringAsync(Http.Ct).WaitAsync(Bound, Http.Ct);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", all, StringComparison.Ordinal);
        Assert.DoesNotContain("req_42", all, StringComparison.Ordinal); // the response field is not relayed as data

        // Replayed after the fact: the same headers.
        var id = response.Headers.GetValues("Longhaul-Operation-Id").Single();
        await host.Client.WaitDoneAsync(id);
        using var stream = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events", lastEventId: "0");
        var outputs = (await stream.ReadToEndAsync()).Where(e => e.Type == "output").ToList();
        var first = outputs[0].Data.GetProperty("response");
        Assert.Equal(201, first.GetProperty("status").GetInt32());
        Assert.Equal("req_42", first.GetProperty("headers").GetProperty("request-id").GetString());
        Assert.False(first.GetProperty("headers").TryGetProperty("set-cookie", out _));
        Assert.All(outputs.Skip(1), e => Assert.False(e.Data.TryGetProperty("response", out _)));
    }
}
