using System.Net;
using System.Text;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>Bodies over <c>MaxInlineBytes</c> become operation files, served at <c>/v1/operations/{id}/files/{name}</c>.</summary>
public sealed class LargeBodyTests
{
    /// <summary>Over two stored chunks (1 MiB each), so the file crosses chunk boundaries.</summary>
    private const int LargeSize = 2 * 1024 * 1024 + 12345;

    private static Dictionary<string, string?> Upstream(FakeUpstream fake, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/'),
            ["Longhaul:Upstreams:api:MaxInlineBytes"] = "1000",
            ["Longhaul:Upstreams:api:MaxResponseBytes"] = "4000000",
        };
        foreach (var (key, value) in extra) settings[$"Longhaul:Upstreams:api:{key}"] = value;
        return settings;
    }

    private static byte[] Payload(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++) bytes[i] = (byte)(i * 31 + i / 251);
        return bytes;
    }

    private static Task Answer(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    [Fact]
    public async Task BodyOverTheInlineLimit_IsALink_ServedWithTypeAndLength_ToItsTenantOnly_AndGoneAfterDelete()
    {
        var payload = Payload(LargeSize);
        await using var fake = await FakeUpstream.StartAsync((context, _) => Answer(context, 200, "application/x-ndjson", payload));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake), "acme", "other");

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/export" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("succeeded", done.Status());
        var result = done.GetProperty("result");
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("body").ValueKind);
        var url = result.GetProperty("body_url").GetString()!;
        Assert.Equal($"/v1/operations/{op.Id()}/files/body", url);
        Assert.Equal(LargeSize, result.GetProperty("body_bytes").GetInt64());
        Assert.Equal("application/x-ndjson", result.GetProperty("body_content_type").GetString());

        using (var file = await host.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, Http.Ct))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("application/x-ndjson", file.Content.Headers.ContentType?.ToString());
            Assert.Equal(LargeSize, file.Content.Headers.ContentLength);
            Assert.Equal(payload, await file.Content.ReadAsByteArrayAsync(Http.Ct));
        }

        using (var foreign = await host.ClientFor("other").GetAsync(url, Http.Ct))
        {
            await Http.AssertProblemAsync(foreign, 404, "operation_not_found");
        }
        using (var missing = await host.Client.GetAsync($"/v1/operations/{op.Id()}/files/nope", Http.Ct))
        {
            await Http.AssertProblemAsync(missing, 404, "file_not_found");
        }

        using (var delete = await host.Client.DeleteAsync($"/v1/operations/{op.Id()}", Http.Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        using (var gone = await host.Client.GetAsync(url, Http.Ct))
        {
            await Http.AssertProblemAsync(gone, 404, "operation_not_found");
        }
    }

    [Fact]
    public async Task BodyAtTheInlineLimit_StaysInline()
    {
        var text = new string('a', 1000);
        await using var fake = await FakeUpstream.StartAsync((context, _) => Answer(context, 200, "text/plain", Encoding.UTF8.GetBytes(text)));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/small" });
        var result = (await host.Client.WaitDoneAsync(op.Id())).GetProperty("result");

        Assert.Equal(text, result.GetProperty("body").GetString());
        Assert.False(result.TryGetProperty("body_url", out _));
    }

    [Fact]
    public async Task BodyOverTheHardCap_StillFails_WithResponseTooLarge()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => Answer(context, 200, "application/octet-stream", Payload(LargeSize)));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("MaxResponseBytes", "2000000")));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/huge" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_response_too_large", done.GetProperty("error").GetProperty("code").GetString());
        using var file = await host.Client.GetAsync($"/v1/operations/{op.Id()}/files/body", Http.Ct);
        await Http.AssertProblemAsync(file, 404, "file_not_found");
    }

    [Fact]
    public async Task LargeErrorBody_IsALinkInErrorDetails()
    {
        var payload = Encoding.UTF8.GetBytes(new string('e', 5000));
        await using var fake = await FakeUpstream.StartAsync((context, _) => Answer(context, 400, "text/plain", payload));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "POST", path = "/bad", body = "x" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("upstream_status", done.GetProperty("error").GetProperty("code").GetString());
        var details = done.GetProperty("error").GetProperty("details");
        Assert.Equal(400, details.GetProperty("status").GetInt32());
        Assert.Equal(5000, details.GetProperty("body_bytes").GetInt64());
        Assert.Equal(payload, await host.Client.GetByteArrayAsync(details.GetProperty("body_url").GetString(), Http.Ct));
    }

    [Fact]
    public async Task Gateway_WithPreferWait_StreamsTheLargeBodyAsTheAnswer()
    {
        var payload = Payload(LargeSize);
        await using var fake = await FakeUpstream.StartAsync((context, _) => Answer(context, 200, "application/octet-stream", payload));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/proxy/api/download");
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async, wait=20");
        using var response = await host.Client.SendAsync(request, Http.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(LargeSize, response.Content.Headers.ContentLength);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync(Http.Ct));
    }

    [Fact]
    public async Task LongStreamedText_IsALink()
    {
        var tokens = Enumerable.Range(0, 60).Select(i => $"token-{i:D3} ").ToArray();
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            Sse.Start(context.Response);
            await Sse.AnthropicStartAsync(context.Response);
            foreach (var token in tokens) await Sse.AnthropicTokenAsync(context.Response, token);
            await Sse.AnthropicEndAsync(context.Response, tokens.Length);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("MaxInlineBytes", "100")));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "POST", path = "/v1/messages", body = new { stream = true } });
        var result = (await host.Client.WaitDoneAsync(op.Id())).GetProperty("result");

        Assert.Equal(JsonValueKind.Null, result.GetProperty("text").ValueKind);
        var expected = string.Concat(tokens);
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), result.GetProperty("text_bytes").GetInt64());
        using var file = await host.Client.GetAsync(result.GetProperty("text_url").GetString(), Http.Ct);
        Assert.Equal("text/plain; charset=utf-8", file.Content.Headers.ContentType?.ToString());
        Assert.Equal(expected, await file.Content.ReadAsStringAsync(Http.Ct));
    }
}
