using Longhaul.Egress;
using Longhaul.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.Tests.Egress;

/// <summary>Start-up validation of <c>Longhaul:Egress</c> names the bad setting.</summary>
public sealed class EgressOptionsTests
{
    [Fact]
    public async Task StartUp_BadCidrAndBadHost_FailNamingTheSettings()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Egress:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Longhaul:Egress:AllowedNetworks:1"] = "10.0.0.0/33",
            ["Longhaul:Egress:AllowedNetworks:2"] = "localhost",
            ["Longhaul:Egress:AllowedHosts:0"] = "hooks.example.com",
            ["Longhaul:Egress:AllowedHosts:1"] = "http://bad/",
        }));

        Assert.Contains("Longhaul:Egress:AllowedNetworks:1: '10.0.0.0/33'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:Egress:AllowedNetworks:2: 'localhost'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:Egress:AllowedHosts:1: 'http://bad/'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedNetworks:0", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedHosts:0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUp_ValidAllowList_Starts()
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Egress:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Longhaul:Egress:AllowedNetworks:1"] = "::1/128",
            ["Longhaul:Egress:AllowedHosts:0"] = "*.corp.example.com",
        });

        Assert.Equal(2, host.Services.GetRequiredService<IOptions<EgressGuardOptions>>().Value.AllowedNetworks.Count);
    }
}
