using System.Net;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Webhooks;

/// <summary>Hosts whose webhooks reach loopback receivers (allow-listed) and retry within milliseconds.</summary>
public static class WebhookHosts
{
    public const string Tenant = "acme";
    public const string OtherTenant = "umbrella";

    public static Dictionary<string, string?> Settings(bool allowLoopback = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Longhaul:Webhooks:RetryBaseDelay"] = "00:00:00.010",
            ["Longhaul:Webhooks:RetryMaxDelay"] = "00:00:00.040",
            ["Longhaul:Webhooks:PollInterval"] = "00:00:00.050",
        };
        if (allowLoopback) settings["Longhaul:Egress:AllowedNetworks:0"] = "127.0.0.0/8";
        return settings;
    }

    public static Task<TestHost> StartAsync(bool allowLoopback = true, params (string Key, string Value)[] extra)
    {
        var settings = Settings(allowLoopback);
        foreach (var (key, value) in extra) settings[key] = value;
        return TestHost.StartWithSettingsAsync(settings, Tenant, OtherTenant);
    }

    /// <summary>Starts an <c>echo</c> operation with <paramref name="callbackUrl"/>; returns its id.</summary>
    public static async Task<string> StartWithCallbackAsync(this HttpClient client, string callbackUrl, object? input = null)
    {
        using var response = await client.PostAsync("/v1/operations",
            Http.Json(new { kind = EchoHandler.Name, input = input ?? new { n = 1 }, callback_url = callbackUrl }), Http.Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await Http.ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    /// <summary>The operation's delivery log once its (single) delivery has left <paramref name="notIn"/> states and has <paramref name="attempts"/> attempts.</summary>
    public static async Task<JsonElement> DeliveryWhenAsync(this HttpClient client, string id, int attempts, params string[] statuses)
    {
        // The attempt's record commits right after the receiver answers: read until it shows (no sleeping, bounded).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var log = await client.GetJsonAsync($"/v1/operations/{id}/deliveries");
            var deliveries = log.GetProperty("deliveries");
            if (deliveries.GetArrayLength() == 1)
            {
                var d = deliveries[0];
                if (statuses.Contains(d.GetProperty("status").GetString()) && d.GetProperty("attempts").GetArrayLength() == attempts) return d;
            }
            await Task.Yield();
        }
    }

    /// <summary>The tenant's current signing secret.</summary>
    public static async Task<string> SecretAsync(this HttpClient client)
        => (await client.GetJsonAsync("/v1/webhooks/secret")).GetProperty("secrets")[0].GetProperty("secret").GetString()!;
}
