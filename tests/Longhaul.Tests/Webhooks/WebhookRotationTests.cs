using System.Net;

namespace Longhaul.Tests.Webhooks;

public sealed class WebhookRotationTests
{
    [Fact]
    public async Task RotateSecret_DuringTheOverlap_BothSignaturesVerifyAndAfterAZeroOverlapOnlyTheNewOne()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        await using var host = await WebhookHosts.StartAsync();
        var original = await host.Client.SecretAsync();
        await host.Client.StartWithCallbackAsync(receiver.Url);
        var before = await receiver.Nth(1);

        using var rotate = await host.Client.PostAsync("/v1/webhooks/secret/rotate?overlap_seconds=3600", null, Infrastructure.Http.Ct);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var secrets = (await Infrastructure.Http.ReadJsonAsync(rotate)).GetProperty("secrets");
        var rotated = secrets[0].GetProperty("secret").GetString()!;
        Assert.Equal(original, secrets[1].GetProperty("secret").GetString());
        await host.Client.StartWithCallbackAsync(receiver.Url);
        var during = await receiver.Nth(2);

        using var cut = await host.Client.PostAsync("/v1/webhooks/secret/rotate?overlap_seconds=0", null, Infrastructure.Http.Ct);
        var latest = (await Infrastructure.Http.ReadJsonAsync(cut)).GetProperty("secrets")[0].GetProperty("secret").GetString()!;
        await host.Client.StartWithCallbackAsync(receiver.Url);
        var after = await receiver.Nth(3);

        Assert.Single(before.Headers["webhook-signature"].Split(' '));
        Assert.Equal(2, during.Headers["webhook-signature"].Split(' ').Length);
        Assert.Single(after.Headers["webhook-signature"].Split(' '));
        var results = await NodeStandardWebhooks.VerifyAsync(
        [
            (original, before),
            (original, during),
            (rotated, during),
            (latest, after),
            (rotated, after),
            (original, after),
        ]);
        Assert.Equal(["ok", "ok", "ok", "ok"], results.Take(4));
        Assert.StartsWith("fail", results[4], StringComparison.Ordinal);
        Assert.StartsWith("fail", results[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateSecret_OverlapOutOfRange_Answers400()
    {
        await using var host = await WebhookHosts.StartAsync();

        using var response = await host.Client.PostAsync("/v1/webhooks/secret/rotate?overlap_seconds=-5", null, Infrastructure.Http.Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_parameter", (await Infrastructure.Http.ReadJsonAsync(response)).GetProperty("code").GetString());
    }
}
