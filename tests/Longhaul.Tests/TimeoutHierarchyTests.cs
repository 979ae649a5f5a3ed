using Longhaul.AspNetCore;
using Longhaul.Kinds.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.Tests;

/// <summary>Start-up refuses timeouts that contradict each other, naming both settings.</summary>
public sealed class TimeoutHierarchyTests
{
    private static string Refusal(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLonghaul(config).AddApi().AddHttpKind().Services.BuildServiceProvider();
        var errors = new List<string>();
        foreach (var read in new Action[]
        {
            () => _ = provider.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value,
            () => _ = provider.GetRequiredService<IOptions<LonghaulApiOptions>>().Value,
            () => _ = provider.GetRequiredService<IOptions<HttpKindOptions>>().Value,
        })
        {
            try
            {
                read();
            }
            catch (OptionsValidationException ex)
            {
                errors.Add(ex.Message);
            }
        }
        Assert.NotEmpty(errors);
        return string.Join("\n", errors);
    }

    [Theory]
    [InlineData("Longhaul:Http:ChainIdleTimeout", "00:00:20", "Longhaul:Http:LongPollMax")]
    [InlineData("Longhaul:Http:KeepAliveInterval", "00:01:30", "Longhaul:Http:KeepAliveInterval")]
    [InlineData("Longhaul:Http:LongPollMax", "00:01:00", "Longhaul:Http:LongPollMax")]
    public void ChainIdleTimeout_BoundsLongPollAndKeepAlive(string key, string value, string named)
    {
        var message = Refusal(new() { [key] = value });
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:Http:ChainIdleTimeout", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpstreamRequestTimeout_MustBeBelowTheOperationDeadlineCap()
    {
        var message = Refusal(new()
        {
            ["Longhaul:MaxTimeout"] = "00:10:00",
            ["Longhaul:Upstreams:llm:BaseUrl"] = "https://api.example.com",
            ["Longhaul:Upstreams:llm:RequestTimeout"] = "00:15:00",
        });
        Assert.Contains("Longhaul:Upstreams:llm:RequestTimeout", message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:MaxTimeout", message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeartbeatInterval_MustBeBelowLeaseDuration()
    {
        var message = Refusal(new() { ["Longhaul:LeaseDuration"] = "00:00:10", ["Longhaul:HeartbeatInterval"] = "00:00:10" });
        Assert.Contains("Longhaul:HeartbeatInterval", message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:LeaseDuration", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaults_AreConsistent()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:llm:BaseUrl"] = "https://api.example.com",
        }).Build();
        using var provider = new ServiceCollection().AddLonghaul(config).AddApi().AddHttpKind().Services.BuildServiceProvider();
        Assert.Equal(TimeSpan.FromSeconds(60), provider.GetRequiredService<IOptions<LonghaulApiOptions>>().Value.ChainIdleTimeout);
        Assert.NotNull(provider.GetRequiredService<IOptions<HttpKindOptions>>().Value);
        Assert.NotNull(provider.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value);
    }
}
