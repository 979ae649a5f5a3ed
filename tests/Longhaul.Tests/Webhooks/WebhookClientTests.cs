using Longhaul.Client;
using Longhaul.Contracts;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Webhooks;

/// <summary>The .NET client's webhook calls against a real server.</summary>
public sealed class WebhookClientTests
{
    [Fact]
    public async Task Client_StartWithCallbackThenLogRedeliverAndRotate_RoundTrips()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        await using var host = await WebhookHosts.StartAsync();
        var client = new LonghaulClient(host.Client);

        var op = await client.StartAsync(new StartOperationRequest
        {
            Kind = EchoHandler.Name,
            Input = System.Text.Json.JsonDocument.Parse("{}").RootElement,
            CallbackUrl = receiver.Url,
        }, cancellationToken: Http.Ct);
        await receiver.Nth(1);
        await host.Client.DeliveryWhenAsync(op.Id, 1, "delivered");
        var log = await client.ListDeliveriesAsync(op.Id, Http.Ct);
        var delivery = Assert.Single(log.Deliveries);
        var redelivered = await client.RedeliverAsync(op.Id, delivery.Id, Http.Ct);
        await receiver.Nth(2);
        var before = await client.GetWebhookSecretsAsync(Http.Ct);
        var rotated = await client.RotateWebhookSecretAsync(TimeSpan.FromHours(1), Http.Ct);

        Assert.Equal("delivered", delivery.Status);
        Assert.Equal(200, Assert.Single(delivery.Attempts).StatusCode);
        Assert.Equal(delivery.Id, Assert.Single(redelivered.Deliveries).Id);
        Assert.Equal(before.Secrets[0].Secret, rotated.Secrets[1].Secret);
        Assert.NotNull(rotated.Secrets[1].ExpiresAt);
        var missing = await Assert.ThrowsAsync<LonghaulApiException>(() => client.RedeliverAsync(op.Id, "msg_none", Http.Ct));
        Assert.Equal("delivery_not_found", missing.Problem?.Code);
    }

    [Fact]
    public async Task TypedStart_CallbackUrlOption_IsDeliveredAndARefusedOneNamesTheFieldInTheMessage()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        await using var host = await WebhookHosts.StartAsync();
        var client = new LonghaulClient(host.Client);

        var op = await client.StartAsync<object, System.Text.Json.JsonElement>(EchoHandler.Name, new { }, new StartOperationOptions { CallbackUrl = receiver.Url }, Http.Ct);
        await receiver.Nth(1);
        var refused = await Assert.ThrowsAsync<LonghaulApiException>(
            () => client.StartAsync<object, System.Text.Json.JsonElement>(EchoHandler.Name, new { }, new StartOperationOptions { CallbackUrl = "ftp://example.com/hook" }, Http.Ct));

        await host.Client.DeliveryWhenAsync(op.Id, 1, "delivered");
        Assert.Equal("validation_failed", refused.Problem?.Code);
        Assert.Contains(Environment.NewLine + "  callback_url: is refused: the scheme 'ftp' is not http or https", refused.Message, StringComparison.Ordinal);
    }
}
