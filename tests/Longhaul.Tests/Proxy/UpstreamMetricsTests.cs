using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>Upstream calls show up on <c>/metrics</c> (meter <c>Longhaul.Http</c>, Prometheus text format).</summary>
public sealed class UpstreamMetricsTests
{
    [Fact]
    public async Task CallsRetriesAndTimeouts_AreCountedPerUpstream()
    {
        var calls = 0;
        await using var flaky = await FakeUpstream.StartAsync(async (context, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = "0";
                return;
            }
            await context.Response.WriteAsync("ok", context.RequestAborted);
        });
        await using var hanging = await FakeUpstream.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var ok = "m" + Guid.NewGuid().ToString("N")[..12];
        var slow = "m" + Guid.NewGuid().ToString("N")[..12];
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            [$"Longhaul:Upstreams:{ok}:BaseUrl"] = flaky.Address.ToString().TrimEnd('/'),
            [$"Longhaul:Upstreams:{slow}:BaseUrl"] = hanging.Address.ToString().TrimEnd('/'),
            [$"Longhaul:Upstreams:{slow}:RequestTimeout"] = "00:00:01",
        });

        var first = await host.Client.StartOperationOkAsync("http", new { upstream = ok, method = "POST", path = "/x" });
        var second = await host.Client.StartOperationOkAsync("http", new { upstream = slow, method = "GET", path = "/x" });
        Assert.Equal("succeeded", (await host.Client.WaitDoneAsync(first.Id())).Status());
        var timedOut = await host.Client.WaitDoneAsync(second.Id());
        Assert.Equal("upstream_timeout", timedOut.GetProperty("error").GetProperty("code").GetString());

        using var response = await host.Client.GetAsync("/metrics", Http.Ct);
        var text = await response.Content.ReadAsStringAsync(Http.Ct);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE longhaul_http_upstream_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains($"longhaul_http_upstream_duration_seconds_count{{otel_scope_name=\"Longhaul.Http\",outcome=\"200\",upstream=\"{ok}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"longhaul_http_upstream_duration_seconds_bucket{{otel_scope_name=\"Longhaul.Http\",outcome=\"200\",upstream=\"{ok}\",le=\"+Inf\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"longhaul_http_upstream_retries_total{{otel_scope_name=\"Longhaul.Http\",reason=\"503\",upstream=\"{ok}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"longhaul_http_upstream_timeouts_total{{otel_scope_name=\"Longhaul.Http\",upstream=\"{slow}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"longhaul_http_upstream_duration_seconds_count{{otel_scope_name=\"Longhaul.Http\",outcome=\"timeout\",upstream=\"{slow}\"}} 1\n", text, StringComparison.Ordinal);
    }
}
