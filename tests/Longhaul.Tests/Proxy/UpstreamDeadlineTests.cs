using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>An operation's <c>options.timeout_seconds</c> shorter than the upstream's request timeout bounds the call.</summary>
public sealed class UpstreamDeadlineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string?> Upstream(FakeUpstream fake, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/') };
        foreach (var (key, value) in extra) settings[$"Longhaul:Upstreams:api:{key}"] = value;
        return settings;
    }

    private static async Task<JsonElement> StartOperationAsync(HttpClient client, object input, double timeoutSeconds)
    {
        using var response = await client.PostAsync("/v1/operations", Http.Json(new { kind = "http", input, options = new { timeout_seconds = timeoutSeconds } }), Http.Ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return await Http.ReadJsonAsync(response);
    }

    [Fact]
    public async Task HangingUpstream_OperationTimeoutBelowUpstreamTimeout_FailsWithDeadlineExceeded_NamingBothValues_AndAbortsTheCall()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("RequestTimeout", "00:05:00")));

        var op = await StartOperationAsync(host.Client, new { upstream = "api", method = "GET", path = "/hang" }, 1);
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        var error = done.GetProperty("error");
        Assert.Equal("deadline_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("timeout_seconds (1 s)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("request timeout (300 s)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var details = error.GetProperty("details");
        Assert.Equal("api", details.GetProperty("upstream").GetString());
        Assert.Equal(1, details.GetProperty("timeout_seconds").GetDouble());
        Assert.Equal(300, details.GetProperty("upstream_timeout_seconds").GetDouble());
        await fake.Aborted.Task.WaitAsync(Bound, Http.Ct);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task HangingUpstream_UpstreamTimeoutBelowOperationTimeout_StillFailsWithUpstreamTimeout()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("RequestTimeout", "00:00:01")));

        var op = await StartOperationAsync(host.Client, new { upstream = "api", method = "GET", path = "/hang" }, 120);
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("upstream_timeout", done.GetProperty("error").GetProperty("code").GetString());
        await fake.Aborted.Task.WaitAsync(Bound, Http.Ct);
    }

    [Fact]
    public async Task RetryAfterBeyondTheDeadline_IsNotWaitedFor_TheUpstreamsAnswerIsTheError()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "20";
            return context.Response.WriteAsync("slow down", context.RequestAborted);
        });
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("Retry:MaxDelay", "00:00:30"), ("RequestTimeout", "00:01:00")));

        var op = await StartOperationAsync(host.Client, new { upstream = "api", method = "GET", path = "/limited" }, 10);
        var done = await host.Client.WaitDoneAsync(op.Id());

        var error = done.GetProperty("error");
        Assert.Equal("upstream_status", error.GetProperty("code").GetString());
        Assert.Equal(429, error.GetProperty("details").GetProperty("status").GetInt32());
        Assert.Single(fake.Requests);
    }
}
