using System.Net;
using Longhaul.Egress;
using Longhaul.Tests.Egress;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.Tests.Webhooks;

/// <summary>The callback's destination is checked again when each attempt connects: DNS rebinding reaches nothing.</summary>
public sealed class WebhookEgressTests
{
    [Fact]
    public async Task Delivery_NameRebindsToLoopbackAfterCreation_IsRefusedAtConnectAndTheCanaryGetsNothing()
    {
        await using var canary = await FakeUpstream.StartAsync((_, _) => Task.CompletedTask);
        // Public when the callback is checked at creation, loopback when the delivery connects.
        var dns = new FakeResolver().Answer("hooks.rebind.test", [IPAddress.Parse("93.184.216.34")], [IPAddress.Loopback]);
        var settings = WebhookHosts.Settings(allowLoopback: false);
        settings["Longhaul:Webhooks:RetryBaseDelay"] = "01:00:00";
        settings["Longhaul:Webhooks:RetryMaxDelay"] = "01:00:00";
        await using var host = await TestHost.StartWithServicesAsync(
            services => services.AddSingleton(sp => new EgressGuard(sp.GetRequiredService<IOptions<EgressGuardOptions>>().Value, dns.ResolveAsync)),
            settings);

        var id = await host.Client.StartWithCallbackAsync($"http://hooks.rebind.test:{canary.Address.Port}/hooks");
        var delivery = await host.Client.DeliveryWhenAsync(id, 1, "pending");

        var error = delivery.GetProperty("attempts")[0].GetProperty("error").GetString();
        Assert.Contains("egress refused", error, StringComparison.Ordinal);
        Assert.Contains("loopback", error, StringComparison.Ordinal);
        Assert.Empty(canary.Requests);
    }
}
