using System.Text;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>
/// Injected secrets an upstream echoes back (in a JSON or text body, a header, an event stream, a large body) are
/// replaced with <c>[REDACTED]</c> before anything is stored.
/// </summary>
public sealed class RedactionTests : IDisposable
{
    private readonly string _variable = "LONGHAUL_TEST_REDACT_" + Guid.NewGuid().ToString("N");
    private readonly string _secret = "sk-echo-" + Guid.NewGuid().ToString("N");

    public RedactionTests() => Environment.SetEnvironmentVariable(_variable, _secret);

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);

    private Dictionary<string, string?> Upstream(FakeUpstream fake, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/'),
            ["Longhaul:Upstreams:api:Headers:Authorization"] = $"Bearer ${{env:{_variable}}}",
            ["Longhaul:Upstreams:api:Headers:anthropic-version"] = "2023-06-01",
        };
        foreach (var (key, value) in extra) settings[$"Longhaul:Upstreams:api:{key}"] = value;
        return settings;
    }

    /// <summary>Everything the API shows about the operation: the resource, its events, the list, and its files.</summary>
    private static async Task<string> EverythingStoredAsync(TestHost host, string id, params string[] files)
    {
        var done = await host.Client.WaitDoneAsync(id);
        using var sse = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events?after=0");
        var events = await sse.ReadToEndAsync();
        var all = new StringBuilder(done.GetRawText());
        foreach (var e in events) all.Append('\n').Append(e.Data.GetRawText());
        all.Append('\n').Append((await host.Client.GetJsonAsync("/v1/operations")).GetRawText());
        foreach (var file in files) all.Append('\n').Append(await host.Client.GetStringAsync($"/v1/operations/{id}/files/{file}", Http.Ct));
        return all.ToString();
    }

    [Fact]
    public async Task UpstreamEchoingHeadersAsJson_AndInAResponseHeader_IsRedacted()
    {
        await using var fake = await FakeUpstream.StartAsync((context, request) =>
        {
            context.Response.Headers["x-request-id"] = request.Headers["Authorization"];
            return context.Response.WriteAsJsonAsync(new { headers = request.Headers }, context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/echo" });
        var stored = await EverythingStoredAsync(host, op.Id());

        Assert.Equal($"Bearer {_secret}", fake.Requests.Single().Headers["Authorization"]);
        Assert.DoesNotContain(_secret, stored, StringComparison.Ordinal);
        var result = (await host.Client.WaitDoneAsync(op.Id())).GetProperty("result");
        Assert.Equal("Bearer [REDACTED]", result.GetProperty("body").GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("Bearer [REDACTED]", result.GetProperty("headers").GetProperty("x-request-id").GetString());
        Assert.Equal("2023-06-01", result.GetProperty("body").GetProperty("headers").GetProperty("anthropic-version").GetString());
    }

    [Fact]
    public async Task UpstreamEchoingHeadersAsText_InAnErrorAnswer_IsRedacted()
    {
        await using var fake = await FakeUpstream.StartAsync((context, request) =>
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync($"invalid key: {request.Headers["Authorization"]}", context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/echo" });
        var stored = await EverythingStoredAsync(host, op.Id());

        Assert.DoesNotContain(_secret, stored, StringComparison.Ordinal);
        var error = (await host.Client.WaitDoneAsync(op.Id())).GetProperty("error");
        Assert.Equal("invalid key: Bearer [REDACTED]", error.GetProperty("details").GetProperty("body").GetString());
    }

    [Fact]
    public async Task UpstreamEchoingTheSecretInsideAnEventStream_IsRedactedInOutputEventsAndTheResult()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, request) =>
        {
            var header = request.Headers["Authorization"];
            Sse.Start(context.Response);
            await Sse.AnthropicStartAsync(context.Response);
            await Sse.AnthropicTokenAsync(context.Response, "you sent ");
            await Sse.AnthropicTokenAsync(context.Response, header);
            await Sse.WriteAsync(context.Response, "debug", new { type = "debug", echo = header });
            await Sse.AnthropicEndAsync(context.Response, 3);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "POST", path = "/v1/messages", body = new { stream = true } });
        var stored = await EverythingStoredAsync(host, op.Id());

        Assert.DoesNotContain(_secret, stored, StringComparison.Ordinal);
        var result = (await host.Client.WaitDoneAsync(op.Id())).GetProperty("result");
        Assert.Equal("you sent Bearer [REDACTED]", result.GetProperty("text").GetString());
        Assert.Contains("\"echo\":\"Bearer [REDACTED]\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamEchoingTheSecretInALargeBody_IsRedactedInTheStoredFile()
    {
        var filler = new string('.', 100_000);
        await using var fake = await FakeUpstream.StartAsync(async (context, request) =>
        {
            context.Response.ContentType = "text/plain";
            for (var i = 0; i < 30; i++)
            {
                await context.Response.WriteAsync(filler + request.Headers["Authorization"], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("MaxInlineBytes", "1000")));

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/dump" });
        var stored = await EverythingStoredAsync(host, op.Id(), "body");

        Assert.DoesNotContain(_secret, stored, StringComparison.Ordinal);
        var body = await host.Client.GetStringAsync($"/v1/operations/{op.Id()}/files/body", Http.Ct);
        Assert.Equal(string.Concat(Enumerable.Repeat(filler + "Bearer [REDACTED]", 30)), body);
        var result = (await host.Client.WaitDoneAsync(op.Id())).GetProperty("result");
        Assert.Equal(Encoding.UTF8.GetByteCount(body), result.GetProperty("body_bytes").GetInt64());
    }
}
