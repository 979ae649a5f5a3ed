using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Completion webhooks on PostgreSQL across real nodes (a fresh schema per test): each attempt is made by one node
/// once, and a node SIGKILLed in the middle of a delivery is survived: another node takes the delivery over when its
/// lease runs out.
/// </summary>
public sealed class PostgresWebhookNodesTests : PostgresNodesTest
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoNodes_ManyCallbacks_EachDeliveredOnceByOneNode()
    {
        const int Operations = 120;
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        await using var recorder = await WebhookRecorder.StartAsync();
        var environment = Schema.Environment([.. WebhookCrashTests.WebhookEnvironment().Select(kv => (kv.Key, kv.Value))]);
        var a = await Env.StartNodeAsync(environment);
        var b = await Env.StartNodeAsync(environment, "--no-migrate");

        recorder.Expect(Operations);
        var ids = new List<string>();
        foreach (var batch in Enumerable.Range(0, Operations).Chunk(20))
        {
            ids.AddRange(await Task.WhenAll(batch.Select(i => WebhookCrashTests.StartWithCallbackAsync(i % 2 == 0 ? a : b, recorder.Url(), Env.Logs))));
        }
        await recorder.AllReceived.WaitAsync(DeliveryTimeout, ct);

        var message = $"{recorder.Requests.Count} requests for {Operations} operations.\n{Env.Logs}";
        Assert.True(recorder.Counts.Values.All(n => n == 1), message);
        foreach (var id in ids)
        {
            var delivery = await Eventually.ValueAsync(
                async () => (await Env.GetJsonAsync(a, $"/v1/operations/{id}/deliveries"))["deliveries"]![0]!,
                d => d["status"]!.GetValue<string>() == "delivered",
                TimeSpan.FromSeconds(30));
            Assert.True(delivery["status"]!.GetValue<string>() == "delivered" && delivery["attempts"]!.AsArray().Count == 1, $"{delivery.ToJsonString()}\n{message}");
        }
    }

    [Fact]
    public async Task NodeKilledMidDelivery_OtherNodeDeliversItAfterTheLease()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        await using var recorder = await WebhookRecorder.StartAsync();
        // The shortest lease the settings allow (connect + answer + 5 s), so the takeover comes soon.
        var environment = Schema.Environment([.. WebhookCrashTests.WebhookEnvironment(
            ("Longhaul__Webhooks__ConnectTimeout", "00:00:01"),
            ("Longhaul__Webhooks__ResponseTimeout", "00:00:03"),
            ("Longhaul__Webhooks__LeaseDuration", "00:00:09")).Select(kv => (kv.Key, kv.Value))]);
        var doomed = await Env.StartNodeAsync(environment);
        var id = await WebhookCrashTests.StartWithCallbackAsync(doomed, recorder.Url("?hold=1"), Env.Logs);

        await recorder.Held.WaitAsync(DeliveryTimeout, ct);
        doomed.Process.Kill();
        await doomed.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), ct);
        var survivor = await Env.StartNodeAsync(environment, "--no-migrate");

        var delivery = await Eventually.ValueAsync(
            async () => (await Env.GetJsonAsync(survivor, $"/v1/operations/{id}/deliveries"))["deliveries"]![0]!,
            d => d["status"]!.GetValue<string>() == "delivered",
            DeliveryTimeout);
        var message = $"{delivery.ToJsonString()}\n{Env.Logs}";
        Assert.True(delivery["status"]!.GetValue<string>() == "delivered", message);
        // The killed node's attempt was never recorded; the survivor's is the log's one attempt, with the same webhook-id.
        Assert.True(delivery["attempts"]!.AsArray().Count == 1, message);
        Assert.Equal(2, recorder.Counts[WebhookCrashTests.WebhookIdOf(id)]);
        Assert.All(recorder.Requests, r => Assert.Equal(WebhookCrashTests.WebhookIdOf(id), r.WebhookId));
    }
}
