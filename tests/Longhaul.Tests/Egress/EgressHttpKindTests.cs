using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;

namespace Longhaul.Tests.Egress;

/// <summary>The <c>http</c> kind's opt-in: an upstream with <c>EgressGuard</c> is reached only through the guard.</summary>
public sealed class EgressHttpKindTests
{
    [Fact]
    public async Task GuardedUpstream_OnLoopback_FailsWithEgressRefused_AndSendsNothing()
    {
        await using var canary = await FakeUpstream.StartAsync((context, _) => Task.CompletedTask);
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:inside:BaseUrl"] = canary.Address.ToString().TrimEnd('/'),
            ["Longhaul:Upstreams:inside:EgressGuard"] = "true",
        });

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "inside", method = "POST", path = "/v1/x" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("failed", done.Status());
        var error = done.GetProperty("error");
        Assert.Equal("egress_refused", error.GetProperty("code").GetString());
        Assert.Contains("loopback", error.GetProperty("details").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, done.GetProperty("attempt").GetInt32());
        Assert.Empty(canary.Requests);
    }

    [Fact]
    public async Task GuardedUpstream_OnAnAllowListedNetwork_IsCalled()
    {
        await using var canary = await FakeUpstream.StartAsync((context, _) => Task.CompletedTask);
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:inside:BaseUrl"] = canary.Address.ToString().TrimEnd('/'),
            ["Longhaul:Upstreams:inside:EgressGuard"] = "true",
            ["Longhaul:Egress:AllowedNetworks:0"] = "127.0.0.0/8",
        });

        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "inside", method = "GET", path = "/v1/x" });
        var done = await host.Client.WaitDoneAsync(op.Id());

        Assert.Equal("succeeded", done.Status());
        Assert.Single(canary.Requests);
    }
}
