using System.Net;
using Longhaul.Egress;
using Longhaul.Tests.Proxy;

namespace Longhaul.Tests.Egress;

/// <summary>
/// Real requests through the guarded <see cref="HttpClient"/> to a loopback canary (a real Kestrel on 127.0.0.1 that
/// counts requests): nothing reaches it unless it is allow-listed.
/// </summary>
public sealed class EgressCanaryTests
{
    private static Task<FakeUpstream> CanaryAsync() => FakeUpstream.StartAsync((context, _) =>
    {
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    });

    private static async Task<EgressRefusedException> RefusedAsync(HttpClient client, string url)
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url, TestContext.Current.CancellationToken));
        return Assert.IsType<EgressRefusedException>(ex.InnerException);
    }

    [Fact]
    public async Task GuardedClient_LoopbackInEveryForm_NeverReachesTheCanary()
    {
        await using var canary = await CanaryAsync();
        var port = canary.Address.Port;
        var resolver = new FakeResolver().Answer("canary.example.test", "127.0.0.1");
        using var client = new EgressGuard(new EgressGuardOptions(), resolver.ResolveAsync).CreateClient();

        await RefusedAsync(client, $"http://127.0.0.1:{port}/");
        await RefusedAsync(client, $"http://2130706433:{port}/");
        await RefusedAsync(client, $"http://0177.0.0.1:{port}/");
        await RefusedAsync(client, $"http://[::ffff:127.0.0.1]:{port}/");
        await RefusedAsync(client, $"http://localhost:{port}/");
        var byName = await RefusedAsync(client, $"http://canary.example.test:{port}/");

        Assert.Contains("127.0.0.1 is a loopback address", byName.Reason, StringComparison.Ordinal);
        Assert.Empty(canary.Requests);
    }

    [Fact]
    public async Task GuardedClient_RebindingName_PassesTheCreationCheck_AndIsRefusedAtConnect()
    {
        await using var canary = await CanaryAsync();
        var url = $"http://rebind.example.test:{canary.Address.Port}/";
        var resolver = new FakeResolver().Answer("rebind.example.test", [IPAddress.Parse("93.184.216.34")], [IPAddress.Loopback]);
        var guard = new EgressGuard(new EgressGuardOptions(), resolver.ResolveAsync);
        using var client = guard.CreateClient();

        Assert.Null(await guard.CheckUrlAsync(url, TestContext.Current.CancellationToken));
        var refused = await RefusedAsync(client, url);

        Assert.Contains("127.0.0.1", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(2, resolver.Lookups);
        Assert.Empty(canary.Requests);
    }

    [Fact]
    public async Task GuardedClient_AllowListedNetwork_ReachesTheCanary()
    {
        await using var canary = await CanaryAsync();
        var resolver = new FakeResolver().Answer("canary.example.test", "127.0.0.1");
        using var client = new EgressGuard(new EgressGuardOptions { AllowedNetworks = ["127.0.0.0/8"] }, resolver.ResolveAsync).CreateClient();

        using var response = await client.GetAsync($"http://127.0.0.1:{canary.Address.Port}/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(canary.Requests);
    }

    [Fact]
    public async Task GuardedClient_MappedAndNamedForms_OfAnAllowListedNetwork_ReachTheCanary()
    {
        await using var canary = await CanaryAsync();
        var port = canary.Address.Port;
        var resolver = new FakeResolver().Answer("canary.example.test", "127.0.0.1");
        using var client = new EgressGuard(new EgressGuardOptions { AllowedNetworks = ["127.0.0.0/8"] }, resolver.ResolveAsync).CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using (var mapped = await client.GetAsync($"http://[::ffff:127.0.0.1]:{port}/", ct)) Assert.Equal(HttpStatusCode.OK, mapped.StatusCode);
        using (var named = await client.GetAsync($"http://canary.example.test:{port}/", ct)) Assert.Equal(HttpStatusCode.OK, named.StatusCode);

        Assert.Equal(2, canary.Requests.Count);
    }

    [Fact]
    public async Task GuardedClient_Redirect_IsNotFollowed()
    {
        await using var second = await CanaryAsync();
        await using var first = await FakeUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = second.Address.ToString();
            return Task.CompletedTask;
        });
        using var client = new EgressGuard(new EgressGuardOptions { AllowedNetworks = ["127.0.0.0/8"] }).CreateClient();

        using var response = await client.GetAsync(first.Address, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(first.Requests);
        Assert.Empty(second.Requests);
    }
}
