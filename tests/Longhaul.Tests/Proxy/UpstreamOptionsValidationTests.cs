using Longhaul.Kinds.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.Tests.Proxy;

/// <summary>Start-up validation of <c>Longhaul:Upstreams</c> names the bad settings.</summary>
public sealed class UpstreamOptionsValidationTests
{
    private static OptionsValidationException Fail(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLonghaul(config).AddHttpKind().Services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HttpKindOptions>>().Value);
    }

    [Fact]
    public void RequestTimeout_MustBeBelowMaxTimeout()
    {
        var ex = Fail(new()
        {
            ["Longhaul:MaxTimeout"] = "00:05:00",
            ["Longhaul:Upstreams:llm:BaseUrl"] = "https://api.example.com",
        });
        Assert.Contains("Longhaul:Upstreams:llm:RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:MaxTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadBaseUrl_MissingEnvironmentVariable_AndBadLimits_AreNamed()
    {
        var variable = "LONGHAUL_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var ex = Fail(new()
        {
            ["Longhaul:Upstreams:llm:BaseUrl"] = "ftp://api.example.com",
            ["Longhaul:Upstreams:llm:Headers:Authorization"] = $"Bearer ${{env:{variable}}}",
            ["Longhaul:Upstreams:llm:MaxConcurrentCalls"] = "0",
            ["Longhaul:Upstreams:llm:AllowedPathPrefixes:0"] = "v1",
            ["Longhaul:Upstreams:llm:ConnectTimeout"] = "00:20:00",
        });
        Assert.Contains("Longhaul:Upstreams:llm:BaseUrl", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Longhaul:Upstreams:llm:Headers:Authorization references the environment variable {variable}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:Upstreams:llm:MaxConcurrentCalls", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:Upstreams:llm:AllowedPathPrefixes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Longhaul:Upstreams:llm:ConnectTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxInlineBytes_OutOfRange_IsNamed()
    {
        var ex = Fail(new()
        {
            ["Longhaul:Upstreams:llm:BaseUrl"] = "https://api.example.com",
            ["Longhaul:Upstreams:llm:MaxInlineBytes"] = "-1",
        });
        Assert.Contains("Longhaul:Upstreams:llm:MaxInlineBytes must be between 0 and 16777216", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidUpstream_Passes()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:anthropic:BaseUrl"] = "https://api.anthropic.com",
            ["Longhaul:Upstreams:anthropic:AllowedMethods:0"] = "POST",
            ["Longhaul:Upstreams:anthropic:AllowedPathPrefixes:0"] = "/v1/messages",
        }).Build();
        using var provider = new ServiceCollection().AddLonghaul(config).AddHttpKind().Services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<HttpKindOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(10), options.Upstreams["anthropic"].RequestTimeout);
        Assert.Equal(64L * 1024 * 1024, options.Upstreams["anthropic"].MaxResponseBytes);
        Assert.Equal(256L * 1024, options.Upstreams["anthropic"].MaxInlineBytes);
    }
}
