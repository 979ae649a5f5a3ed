using System.Net;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Webhooks;

/// <summary>How deliveries treat slow and busy receivers, and callbacks through the gateway.</summary>
public sealed class WebhookReceiverBehaviourTests
{
    // Retries an hour apart: an attempt that comes sooner came from Retry-After (or the cap on it).
    private static readonly (string, string)[] HourlyRetries =
    [
        ("Longhaul:Webhooks:RetryBaseDelay", "01:00:00"),
        ("Longhaul:Webhooks:RetryMaxDelay", "01:00:00"),
    ];

    [Theory]
    [InlineData(503, "1")]
    [InlineData(429, "3600")]
    public async Task Delivery_BusyReceiverWithRetryAfter_IsRetriedAfterItCappedAtMaxRetryAfter(int status, string retryAfter)
    {
        await using var fake = await FakeUpstream.StartAsync((context, request) =>
        {
            if (request.Number == 1)
            {
                context.Response.StatusCode = status;
                context.Response.Headers.RetryAfter = retryAfter;
            }
            return Task.CompletedTask;
        });
        await using var host = await WebhookHosts.StartAsync(true, [.. HourlyRetries, ("Longhaul:Webhooks:MaxRetryAfter", "00:00:01")]);

        var id = await host.Client.StartWithCallbackAsync(new Uri(fake.Address, "/hooks").ToString());
        var delivery = await host.Client.DeliveryWhenAsync(id, 2, "delivered");

        var attempts = delivery.GetProperty("attempts");
        Assert.Equal(status, attempts[0].GetProperty("status_code").GetInt32());
        var wait = attempts[0].GetProperty("next_attempt_at").GetDateTimeOffset() - attempts[0].GetProperty("started_at").GetDateTimeOffset();
        Assert.InRange(wait, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        Assert.Equal(200, attempts[1].GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task Delivery_ReceiverThatDoesNotAnswer_IsCutAtTheResponseTimeoutAndRetried()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, request) =>
        {
            if (request.Number == 1) await Task.WhenAny(Task.Delay(Timeout.Infinite, context.RequestAborted), Task.Delay(Timeout.Infinite, Http.Ct)).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var host = await WebhookHosts.StartAsync(true, ("Longhaul:Webhooks:ResponseTimeout", "00:00:00.300"));

        var id = await host.Client.StartWithCallbackAsync(new Uri(fake.Address, "/hooks").ToString());
        var delivery = await host.Client.DeliveryWhenAsync(id, 2, "delivered");

        var first = delivery.GetProperty("attempts")[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("status_code").ValueKind);
        Assert.Contains("no answer within 0.3 s", first.GetProperty("error").GetString(), StringComparison.Ordinal);
        await fake.Aborted.Task.WaitAsync(TimeSpan.FromSeconds(10), Http.Ct);
    }

    [Fact]
    public async Task Delivery_ReceiverStreamingAnEndlessAnswer_IsReadOnlyUpToTheCapAndCountsAsDelivered()
    {
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            // 200, 8 KiB at once, then nothing more (the answer never ends): only the first 4 KiB are ever read.
            await context.Response.Body.WriteAsync(new byte[8192], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.WhenAny(Task.Delay(Timeout.Infinite, context.RequestAborted), Task.Delay(Timeout.Infinite, Http.Ct)).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var host = await WebhookHosts.StartAsync(true, ("Longhaul:Webhooks:ResponseTimeout", "00:00:30"));

        var id = await host.Client.StartWithCallbackAsync(new Uri(fake.Address, "/hooks").ToString());
        var delivery = await host.Client.DeliveryWhenAsync(id, 1, "delivered");

        var attempt = delivery.GetProperty("attempts")[0];
        Assert.Equal(200, attempt.GetProperty("status_code").GetInt32());
        Assert.InRange(attempt.GetProperty("duration_ms").GetInt32(), 0, 5_000);
    }

    [Fact]
    public async Task Gateway_CallbackUrlHeader_DeliversTheCallAndIsNotForwarded()
    {
        await using var upstream = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("{\"ok\":true}", Http.Ct));
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var settings = WebhookHosts.Settings();
        settings["Longhaul:Upstreams:api:BaseUrl"] = upstream.Address.ToString().TrimEnd('/');
        await using var host = await TestHost.StartWithSettingsAsync(settings, WebhookHosts.Tenant);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/proxy/api/things") { Content = Http.Json("""{"a":1}""") };
        request.Headers.Add("Longhaul-Callback-Url", receiver.Url);
        using var response = await host.Client.SendAsync(request, Http.Ct);
        var delivered = await receiver.Nth(1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = response.Headers.GetValues("Longhaul-Operation-Id").Single();
        Assert.Contains(id, delivered.Body, StringComparison.Ordinal);
        Assert.False(upstream.Requests.Single().Headers.ContainsKey("Longhaul-Callback-Url"));
    }

    [Fact]
    public async Task Gateway_RefusedCallbackUrlHeader_Answers422NamingTheHeader()
    {
        await using var upstream = await FakeUpstream.StartAsync((context, _) => Task.CompletedTask);
        var settings = WebhookHosts.Settings(allowLoopback: false);
        settings["Longhaul:Upstreams:api:BaseUrl"] = upstream.Address.ToString().TrimEnd('/');
        await using var host = await TestHost.StartWithSettingsAsync(settings, WebhookHosts.Tenant);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/proxy/api/things") { Content = Http.Json("""{"a":1}""") };
        request.Headers.Add("Longhaul-Callback-Url", "http://10.0.0.5/hook");
        using var response = await host.Client.SendAsync(request, Http.Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var reason = (await Http.ReadJsonAsync(response)).GetProperty("errors").GetProperty("Longhaul-Callback-Url")[0].GetString();
        Assert.Contains("private", reason, StringComparison.Ordinal);
        Assert.Empty(upstream.Requests);
    }
}
