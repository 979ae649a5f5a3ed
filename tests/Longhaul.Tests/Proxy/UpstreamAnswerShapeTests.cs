using System.Text;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>
/// Answers the <c>http</c> kind must take in its stride, each from a real local upstream: the operation ends as the
/// upstream answered, and a POST reaches the upstream exactly once even with <c>max_attempts</c> 3.
/// </summary>
public sealed class UpstreamAnswerShapeTests
{
    private static Dictionary<string, string?> Upstream(FakeUpstream fake, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/'),
            ["Longhaul:Upstreams:api:Retry:BaseDelay"] = "00:00:00.010",
            ["Longhaul:Upstreams:api:Retry:MaxRetries"] = "1",
        };
        foreach (var (key, value) in extra) settings[$"Longhaul:Upstreams:api:{key}"] = value;
        return settings;
    }

    /// <summary>Creates an <c>http</c> operation with <c>max_attempts</c> 3 and waits for its end.</summary>
    internal static async Task<JsonElement> RunAsync(TestHost host, string method, string path = "/x", object? body = null)
    {
        object input = body is null ? new { upstream = "api", method, path } : new { upstream = "api", method, path, body };
        using var created = await host.Client.PostAsync("/v1/operations", Http.Json(new { kind = "http", input, options = new { max_attempts = 3 } }), Http.Ct);
        var op = await Http.ReadJsonAsync(created);
        Assert.True(created.IsSuccessStatusCode, op.GetRawText());
        return await host.Client.WaitDoneAsync(op.Id());
    }

    private static Task WriteBytesAsync(HttpContext context, string contentType, byte[] bytes)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    [Theory]
    [InlineData(200, "POST", "succeeded", null, 1)]
    [InlineData(204, "POST", "succeeded", null, 1)]
    [InlineData(404, "POST", "failed", "upstream_status", 1)]
    [InlineData(500, "POST", "failed", "upstream_status", 1)]
    [InlineData(302, "POST", "failed", "upstream_status", 1)]
    [InlineData(500, "GET", "failed", "upstream_status", 2)] // idempotent: retried once (Retry:MaxRetries 1)
    [InlineData(429, "POST", "failed", "upstream_status", 2)] // 429 says "not processed": retried for any method
    public async Task EmptyBody_AnyStatus_EndsAsTheUpstreamAnswered(int status, string method, string expected, string? code, int requests)
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = status;
            if (status == 302) context.Response.Headers.Location = "/elsewhere";
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await RunAsync(host, method, body: method == "POST" ? new { q = 1 } : null);

        Assert.Equal(expected, done.Status());
        var answer = code is null ? done.GetProperty("result") : done.GetProperty("error").GetProperty("details");
        if (code is not null) Assert.Equal(code, done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(status, answer.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("body").ValueKind);
        Assert.Equal(requests, fake.Requests.Count);
    }

    [Fact]
    public async Task JsonBody_WithLoneSurrogateEscapes_SucceedsAsJson_WithReplacementCharacters()
    {
        // As sent: a lone high surrogate in a value, a lone low one in a name, a real pair, nested objects and arrays.
        var json = """{"text":"a\ud800b","\udc00key":1,"nested":{"list":[1,{"emoji":"\ud83d\ude00","n":1.50}]},"tail":"\ud83d"}""";
        await using var fake = await FakeUpstream.StartAsync((context, _) => WriteBytesAsync(context, "application/json", Encoding.UTF8.GetBytes(json)));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await RunAsync(host, "POST", body: new { });

        Assert.Equal("succeeded", done.Status());
        var body = done.GetProperty("result").GetProperty("body");
        Assert.Equal("a\uFFFDb", body.GetProperty("text").GetString());
        Assert.Equal(1, body.GetProperty("\uFFFDkey").GetInt32());
        Assert.Equal("\U0001F600", body.GetProperty("nested").GetProperty("list")[1].GetProperty("emoji").GetString());
        Assert.Equal("1.50", body.GetProperty("nested").GetProperty("list")[1].GetProperty("n").GetRawText());
        Assert.Equal("\uFFFD", body.GetProperty("tail").GetString());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task JsonBody_WithInvalidUtf8InAString_SucceedsAsJson_WithReplacementCharacters()
    {
        byte[] bytes = [.. "{\"text\":\"ok "u8, 0xC3, 0x28, 0xFF, .. "\",\"n\":2}"u8];
        await using var fake = await FakeUpstream.StartAsync((context, _) => WriteBytesAsync(context, "application/json", bytes));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await RunAsync(host, "POST", body: new { });

        Assert.Equal("succeeded", done.Status());
        var body = done.GetProperty("result").GetProperty("body");
        Assert.StartsWith("ok \uFFFD", body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(body.GetProperty("text").GetString()!, c => char.IsSurrogate(c));
        Assert.Equal(2, body.GetProperty("n").GetInt32());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task TextBody_WithInvalidUtf8_SucceedsAsBase64OfTheExactBytes()
    {
        byte[] bytes = [.. "caf"u8, 0xE9, .. " and "u8, 0xED, 0xA0, 0x80]; // Latin-1 é, then a surrogate encoded as UTF-8 (CESU)
        await using var fake = await FakeUpstream.StartAsync((context, _) => WriteBytesAsync(context, "text/plain; charset=utf-8", bytes));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await RunAsync(host, "POST", body: "hi");

        Assert.Equal("succeeded", done.Status());
        var result = done.GetProperty("result");
        Assert.Equal("base64", result.GetProperty("body_encoding").GetString());
        Assert.Equal(bytes, Convert.FromBase64String(result.GetProperty("body").GetString()!));
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task TextBody_WithAJsonStyleSurrogateEscape_IsKeptAsText()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => WriteBytesAsync(context, "text/plain", Encoding.UTF8.GetBytes("""literally \ud800""")));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await RunAsync(host, "POST", body: "hi");

        Assert.Equal("succeeded", done.Status());
        Assert.Equal("""literally \ud800""", done.GetProperty("result").GetProperty("body").GetString());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task EventStream_SplittingCharactersAcrossChunksAndSurrogatePairsAcrossEvents_AssemblesTheRightText()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.AnthropicStartAsync(context.Response);
            // One event whose UTF-8 bytes are cut inside 'é' (2 bytes) and inside '😀' (4 bytes), each piece flushed.
            var bytes = Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"h\u00e9llo \U0001F600\"}}\n\n");
            var e = Array.IndexOf(bytes, (byte)0xC3) + 1;
            var smile = Array.IndexOf(bytes, (byte)0xF0) + 2;
            foreach (var (from, to) in new[] { (0, e), (e, smile), (smile, bytes.Length) })
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(from, to - from), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
            // A surrogate pair cut between two events, as JSON escapes; then a lone low surrogate.
            await Sse.WriteAsync(context.Response, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\ud83d"}}""");
            await Sse.WriteAsync(context.Response, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\ude00!"}}""");
            await Sse.WriteAsync(context.Response, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\udc00x"}}""");
            await Sse.AnthropicEndAsync(context.Response, 4);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await RunAsync(host, "POST", "/v1/messages", new { stream = true });

        Assert.Equal("succeeded", done.Status());
        Assert.Equal("h\u00e9llo \U0001F600\U0001F600!\uFFFDx", done.GetProperty("result").GetProperty("text").GetString());
        using var sse = await SseClient.OpenAsync(host.Client, $"/v1/operations/{done.Id()}/events?after=0");
        var texts = (await sse.ReadToEndAsync()).Where(x => x.Type == "output" && x.Data.TryGetProperty("text", out _))
            .Select(x => x.Data.GetProperty("text").GetString()!).ToList();
        Assert.Equal(["h\u00e9llo \U0001F600", "\U0001F600!", "\uFFFDx"], texts);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task EventStream_EndingInHalfASurrogatePair_EndsTheTextWithAReplacementCharacter()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"end\ud83d"}}""");
            await Sse.WriteAsync(context.Response, "message_stop", new { type = "message_stop" });
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await RunAsync(host, "POST", "/v1/messages", new { stream = true });

        Assert.Equal("succeeded", done.Status());
        Assert.Equal("end\uFFFD", done.GetProperty("result").GetProperty("text").GetString());
        Assert.Single(fake.Requests);
    }
}
