using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Completion webhooks survive a SIGKILL: deliveries are stored with the final state, so a server killed right after
/// its operations finished delivers every callback after its restart (at least once, duplicates with the same id).
/// </summary>
public sealed class WebhookCrashTests : IAsyncDisposable
{
    private const int Operations = 300;
    private readonly EndToEndEnvironment _env = new();

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    internal static Dictionary<string, string> WebhookEnvironment(params (string Key, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            ["Longhaul__Egress__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Longhaul__Webhooks__RetryBaseDelay"] = "00:00:00.100",
            ["Longhaul__Webhooks__RetryMaxDelay"] = "00:00:00.500",
            ["Longhaul__Webhooks__PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in more) environment[key] = value;
        return environment;
    }

    internal static async Task<string> StartWithCallbackAsync(LonghaulServerProcess server, string callbackUrl, string logs)
    {
        var json = new JsonObject { ["kind"] = "sleep", ["input"] = new JsonObject { ["seconds"] = 0 }, ["callback_url"] = callbackUrl }.ToJsonString();
        using var response = await server.Http.PostAsync("/v1/operations", new StringContent(json, Encoding.UTF8, "application/json"), EndToEndEnvironment.Ct);
        var body = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}\n{logs}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    internal static string WebhookIdOf(string operationId) => "msg_" + operationId[3..];

    [Fact]
    public async Task Serve_SigkillRightAfterOperationsFinished_EveryCallbackDeliveredAfterRestart()
    {
        var ct = EndToEndEnvironment.Ct;
        await using var recorder = await WebhookRecorder.StartAsync();
        var first = await _env.StartServerAsync(WebhookEnvironment());

        var ids = new List<string>();
        foreach (var batch in Enumerable.Range(0, Operations).Chunk(25))
        {
            // Every fifth receiver is slow, so deliveries are still in flight when the server dies.
            ids.AddRange(await Task.WhenAll(batch.Select(i => StartWithCallbackAsync(first, recorder.Url(i % 5 == 0 ? "?slow=300" : ""), _env.Logs))));
        }
        foreach (var id in ids) await _env.WaitUntilDoneAsync(first, id, TimeSpan.FromSeconds(60));
        first.Process.Kill();
        await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), ct);
        var beforeKill = recorder.Counts.Count;

        recorder.Expect(Operations);
        var second = await _env.StartServerAsync(WebhookEnvironment());
        await recorder.AllReceived.WaitAsync(TimeSpan.FromSeconds(90), ct);

        var message = $"{beforeKill} of {Operations} delivered before the SIGKILL; {recorder.Requests.Count} requests in all.\n{_env.Logs}";
        Assert.True(beforeKill < Operations, $"The kill came after every delivery: the test proved nothing. {message}");
        Assert.Equal(ids.Select(WebhookIdOf).Order(), recorder.Counts.Keys.Order());
        Assert.All(recorder.Requests, r => Assert.Equal(WebhookIdOf(r.OperationId), r.WebhookId));
        foreach (var id in ids)
        {
            var delivery = await Eventually.ValueAsync(
                async () => (await _env.GetJsonAsync(second, $"/v1/operations/{id}/deliveries"))["deliveries"]![0]!,
                d => d["status"]!.GetValue<string>() == "delivered",
                TimeSpan.FromSeconds(30));
            Assert.True(delivery["status"]!.GetValue<string>() == "delivered", $"{delivery.ToJsonString()}\n{message}");
        }
    }
}
