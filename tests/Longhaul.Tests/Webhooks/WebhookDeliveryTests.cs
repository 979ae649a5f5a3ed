using System.Net;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Longhaul.Tests.Webhooks;

public sealed class WebhookDeliveryTests
{
    private static void VerifyWithStandardWebhooks(string secret, Proxy.RecordedRequest request)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = request.Headers["webhook-id"],
            ["webhook-timestamp"] = request.Headers["webhook-timestamp"],
            ["webhook-signature"] = request.Headers["webhook-signature"],
        };
        // Throws WebhookVerificationException when the signature or the timestamp does not hold.
        new StandardWebhook(secret).Verify(request.Body, headers);
    }

    [Fact]
    public async Task Delivery_OperationSucceeded_PostsTheResourceSignedTheStandardWebhooksWay()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        await using var host = await WebhookHosts.StartAsync();

        var id = await host.Client.StartWithCallbackAsync(receiver.Url, new { hello = "world" });
        var request = await receiver.Nth(1);

        VerifyWithStandardWebhooks(await host.Client.SecretAsync(), request);
        Assert.Equal(WebhookDeliveryId(id), request.Headers["webhook-id"]);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("operation.succeeded", body.GetProperty("type").GetString());
        var resource = await host.Client.GetJsonAsync($"/v1/operations/{id}");
        Assert.Equal(resource.GetRawText(), body.GetProperty("data").GetRawText());
        Assert.Equal(resource.GetProperty("finished_at").GetString(), body.GetProperty("timestamp").GetString());
        var delivery = await host.Client.DeliveryWhenAsync(id, 1, "delivered");
        Assert.Equal(200, delivery.GetProperty("attempts")[0].GetProperty("status_code").GetInt32());
        var metrics = await (await host.Client.GetAsync("/metrics", Http.Ct)).Content.ReadAsStringAsync(Http.Ct);
        Assert.Contains("longhaul_webhooks_attempt_duration_seconds_count{otel_scope_name=\"Longhaul.Webhooks\",outcome=\"200\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_ReceiverFailsFiveTimesThenAnswers200_SixAttemptsOneWebhookIdOneSuccess()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= 5 ? 500 : 200);
        await using var host = await WebhookHosts.StartAsync();
        var secret = await host.Client.SecretAsync();

        var id = await host.Client.StartWithCallbackAsync(receiver.Url);
        await receiver.Nth(6);
        var delivery = await host.Client.DeliveryWhenAsync(id, 6, "delivered");

        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal([500, 500, 500, 500, 500, 200], attempts.Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal(["pending", "pending", "pending", "pending", "pending", "delivered"], attempts.Select(a => a.GetProperty("outcome").GetString()));
        Assert.Single(receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct());
        Assert.Equal(6, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => VerifyWithStandardWebhooks(secret, r));
    }

    [Fact]
    public async Task Delivery_ReceiverAnswers410_StopsWithNoMoreAttempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 410);
        await using var host = await WebhookHosts.StartAsync();

        var id = await host.Client.StartWithCallbackAsync(receiver.Url);
        var delivery = await host.Client.DeliveryWhenAsync(id, 1, "gone");

        Assert.Equal(410, delivery.GetProperty("attempts")[0].GetProperty("status_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
        // A second, later operation's delivery is sent and recorded: the first one's would have been retried by then.
        var second = await host.Client.StartWithCallbackAsync(receiver.Url);
        await host.Client.DeliveryWhenAsync(second, 1, "gone");
        Assert.Equal(1, receiver.Requests.Count(r => r.Headers["webhook-id"] == WebhookDeliveryId(id)));
    }

    [Fact]
    public async Task Redeliver_DeliveredWebhook_SendsAgainWithTheSameWebhookId()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 204);
        await using var host = await WebhookHosts.StartAsync();
        var id = await host.Client.StartWithCallbackAsync(receiver.Url);
        var first = await receiver.Nth(1);
        var delivery = await host.Client.DeliveryWhenAsync(id, 1, "delivered");

        using var response = await host.Client.PostAsync($"/v1/operations/{id}/deliveries/{delivery.GetProperty("id").GetString()}/redeliver", null, Http.Ct);
        var again = await receiver.Nth(2);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(first.Headers["webhook-id"], again.Headers["webhook-id"]);
        Assert.Equal(first.Body, again.Body);
        await host.Client.DeliveryWhenAsync(id, 2, "delivered");
    }

    [Fact]
    public async Task Deliveries_AnotherTenantsOperationOrUnknownDelivery_Answers404()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        await using var host = await WebhookHosts.StartAsync();
        var id = await host.Client.StartWithCallbackAsync(receiver.Url);
        await host.Client.DeliveryWhenAsync(id, 1, "delivered");
        var other = host.ClientFor(WebhookHosts.OtherTenant);

        var log = await other.GetJsonAsync($"/v1/operations/{id}/deliveries", HttpStatusCode.NotFound);
        using var redeliverOther = await other.PostAsync($"/v1/operations/{id}/deliveries/{WebhookDeliveryId(id)}/redeliver", null, Http.Ct);
        using var unknown = await host.Client.PostAsync($"/v1/operations/{id}/deliveries/msg_nope/redeliver", null, Http.Ct);

        Assert.Equal("operation_not_found", log.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, redeliverOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("delivery_not_found", (await Http.ReadJsonAsync(unknown)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Deliveries_OperationWithoutCallback_ListsNone()
    {
        await using var host = await WebhookHosts.StartAsync();
        var op = await host.Client.StartOperationOkAsync(EchoHandler.Name, new { n = 1 });
        var id = op.GetProperty("id").GetString()!;
        await host.Client.WaitDoneAsync(id);

        var log = await host.Client.GetJsonAsync($"/v1/operations/{id}/deliveries");

        Assert.Equal(0, log.GetProperty("deliveries").GetArrayLength());
    }

    private static string WebhookDeliveryId(string operationId) => "msg_" + operationId[3..];
}
