using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>
/// A request that may have reached the upstream is sent again only when that is safe: an idempotent method, or an
/// upstream configured <c>RetrySafe</c>. Counted at a real local upstream, with <c>max_attempts</c> 3.
/// </summary>
public sealed class UpstreamResendTests
{
    private static Dictionary<string, string?> Upstream(FakeUpstream fake, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/'),
            ["Longhaul:Upstreams:api:Retry:BaseDelay"] = "00:00:00.010",
            ["Longhaul:Upstreams:api:Retry:MaxRetries"] = "2",
        };
        foreach (var (key, value) in extra) settings[$"Longhaul:Upstreams:api:{key}"] = value;
        return settings;
    }

    /// <summary>An upstream that reads the whole request, then resets the connection without an answer.</summary>
    private static Task<FakeUpstream> ResettingUpstreamAsync() => FakeUpstream.StartAsync((context, _) =>
    {
        context.Abort();
        return Task.CompletedTask;
    });

    /// <summary>An upstream whose answer is an event stream (so the kind writes output events to the store).</summary>
    private static Task<FakeUpstream> StreamingUpstreamAsync() => FakeUpstream.StartAsync(async (context, _) =>
    {
        Sse.Start(context.Response);
        await Sse.AnthropicStartAsync(context.Response);
        await Sse.AnthropicTokenAsync(context.Response, "hi");
        await Sse.AnthropicEndAsync(context.Response, 1);
    });

    [Fact]
    public async Task ConnectionResetAfterAPost_FailsWithUpstreamFailed_AfterExactlyOneRequest()
    {
        await using var fake = await ResettingUpstreamAsync();
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await UpstreamAnswerShapeTests.RunAsync(host, "POST", body: new { prompt = "once" });

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_failed", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, done.GetProperty("attempt").GetInt32());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task ConnectionResetAfterAGet_IsRetriedPerPolicy_ThenFailsWithUpstreamFailed()
    {
        await using var fake = await ResettingUpstreamAsync();
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake));

        var done = await UpstreamAnswerShapeTests.RunAsync(host, "GET");

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_failed", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(3, fake.Requests.Count); // the first try and Retry:MaxRetries (2) retries
    }

    [Fact]
    public async Task ConnectionResetAfterAPost_ToARetrySafeUpstream_IsRetriedPerPolicy()
    {
        await using var fake = await ResettingUpstreamAsync();
        await using var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("RetrySafe", "true")));

        var done = await UpstreamAnswerShapeTests.RunAsync(host, "POST", body: new { prompt = "again" });

        Assert.Equal("failed", done.Status());
        Assert.Equal("upstream_failed", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(3, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.Equal("""{"prompt":"again"}""", r.Body));
    }

    [Fact]
    public async Task ServerErrorToAPost_IsNotRetried_UnlessTheUpstreamIsRetrySafe()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 502;
            return Task.CompletedTask;
        });
        await using (var host = await TestHost.StartWithSettingsAsync(Upstream(fake)))
        {
            var done = await UpstreamAnswerShapeTests.RunAsync(host, "POST", body: new { });
            Assert.Equal("upstream_status", done.GetProperty("error").GetProperty("code").GetString());
            Assert.Single(fake.Requests);
        }
        await using (var host = await TestHost.StartWithSettingsAsync(Upstream(fake, ("RetrySafe", "true"))))
        {
            var done = await UpstreamAnswerShapeTests.RunAsync(host, "POST", body: new { });
            Assert.Equal("upstream_status", done.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal(1 + 3, fake.Requests.Count);
        }
    }

    [Fact]
    public async Task UnexpectedFailureAfterAPostWasSent_FailsWithInternalError_AfterExactlyOneRequest_AndNoExceptionText()
    {
        await using var fake = await StreamingUpstreamAsync();
        var (host, faults) = await TestHost.StartWithFaultyStoreAsync(Upstream(fake));
        await using var _ = host;
        faults.FailOutput = true;

        var done = await UpstreamAnswerShapeTests.RunAsync(host, "POST", "/v1/messages", new { stream = true });

        Assert.Equal("failed", done.Status());
        var error = done.GetProperty("error");
        Assert.Equal("internal_error", error.GetProperty("code").GetString());
        Assert.Equal(1, done.GetProperty("attempt").GetInt32());
        Assert.Single(fake.Requests);
        Assert.DoesNotContain("Injected", done.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("IOException", done.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("/var/lib", done.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnexpectedFailureAfterAGetWasSent_IsRetriedByTheEngine_ThenAttemptsExhausted_WithoutExceptionText()
    {
        await using var fake = await StreamingUpstreamAsync();
        var (host, faults) = await TestHost.StartWithFaultyStoreAsync(Upstream(fake));
        await using var _ = host;
        faults.FailOutput = true;

        var done = await UpstreamAnswerShapeTests.RunAsync(host, "GET", "/v1/messages");

        Assert.Equal("failed", done.Status());
        Assert.Equal("attempts_exhausted", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(3, done.GetProperty("attempt").GetInt32());
        Assert.Equal(3, fake.Requests.Count);
        Assert.DoesNotContain("Injected", done.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("IOException", done.GetRawText(), StringComparison.Ordinal);
    }
}
