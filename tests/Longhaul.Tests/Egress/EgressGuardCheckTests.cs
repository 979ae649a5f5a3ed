using System.Net;
using Longhaul.Egress;

namespace Longhaul.Tests.Egress;

/// <summary>The SSRF battery against the creation-time check: every refused class, in every form, literal or resolved.</summary>
public sealed class EgressGuardCheckTests
{
    private static EgressGuard Guard(FakeResolver? resolver = null, params string[] allowedNetworks)
        => new(new EgressGuardOptions { AllowedNetworks = [.. allowedNetworks] }, (resolver ?? new FakeResolver()).ResolveAsync);

    public static TheoryData<string> BlockedUrls => SsrfBattery.BlockedUrls();

    public static TheoryData<string> PublicAddresses => new(SsrfBattery.Public.AsEnumerable());

    public static TheoryData<string> BlockedAddresses => new(SsrfBattery.BlockedV4.Concat(SsrfBattery.BlockedV6));

    [Theory]
    [MemberData(nameof(BlockedUrls))]
    public async Task CheckUrl_BlockedAddressInAnyForm_IsRefused(string url)
    {
        var reason = await Guard().CheckUrlAsync(url, TestContext.Current.CancellationToken);

        Assert.NotNull(reason);
    }

    [Theory]
    [MemberData(nameof(BlockedAddresses))]
    public async Task CheckUrl_NameResolvingToBlockedAddress_IsRefused(string address)
    {
        var resolver = new FakeResolver().Answer("inside.example.test", address);

        var reason = await Guard(resolver).CheckUrlAsync("https://inside.example.test/hook", TestContext.Current.CancellationToken);

        Assert.NotNull(reason);
        Assert.Contains("inside.example.test", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckUrl_NameWithOnePublicAndOneBlockedAddress_IsRefused()
    {
        var resolver = new FakeResolver().Answer("mixed.example.test", "93.184.216.34", "::ffff:10.0.0.1");

        var reason = await Guard(resolver).CheckUrlAsync("https://mixed.example.test/", TestContext.Current.CancellationToken);

        Assert.Equal("the host 'mixed.example.test' resolves to ::ffff:10.0.0.1, and 10.0.0.1 is a private address", reason);
    }

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public void CheckAddress_PublicAddress_Passes(string address)
        => Assert.Null(Guard().CheckAddress(IPAddress.Parse(address)));

    [Fact]
    public async Task CheckUrl_PublicName_Passes()
    {
        var resolver = new FakeResolver().Answer("hooks.example.test", "93.184.216.34", "2606:2800::1");

        Assert.Null(await Guard(resolver).CheckUrlAsync("https://hooks.example.test/in", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("ftp://93.184.216.34/", "scheme")]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("https://user:pw@93.184.216.34/", "credentials")]
    [InlineData("relative/path", "absolute")]
    [InlineData("gopher://127.0.0.1:6379/_x", "scheme")]
    public async Task CheckUrl_NotAPlainHttpUrl_IsRefused(string url, string expected)
    {
        var reason = await Guard().CheckUrlAsync(url, TestContext.Current.CancellationToken);

        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckUrl_AllowListedNetworkAndHost_Pass()
    {
        var resolver = new FakeResolver().Answer("hooks.corp.test", "10.1.2.3");
        var guard = new EgressGuard(new EgressGuardOptions { AllowedNetworks = ["127.0.0.0/8"], AllowedHosts = ["*.corp.test"] }, resolver.ResolveAsync);
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await guard.CheckUrlAsync("http://127.0.0.1:8080/", ct));
        Assert.Null(await guard.CheckUrlAsync("http://[::ffff:127.0.0.1]:8080/", ct));
        Assert.Null(await guard.CheckUrlAsync("http://hooks.corp.test/", ct));
        Assert.NotNull(await guard.CheckUrlAsync("http://10.1.2.3/", ct));
        Assert.NotNull(await guard.CheckUrlAsync("http://[::1]/", ct));
    }

    [Fact]
    public async Task CheckUrl_RebindingName_PassesAtCreation_TheAnswerChangesLater()
    {
        var resolver = new FakeResolver().Answer("rebind.example.test", [IPAddress.Parse("93.184.216.34")], [IPAddress.Loopback]);
        var guard = Guard(resolver);
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await guard.CheckUrlAsync("http://rebind.example.test/", ct));
        Assert.NotNull(await guard.CheckUrlAsync("http://rebind.example.test/", ct));
    }
}
