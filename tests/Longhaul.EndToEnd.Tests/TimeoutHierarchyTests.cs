using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>The real binary refuses to start with contradicting timeouts and names the settings.</summary>
public sealed class TimeoutHierarchyTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Serve_LongPollMaxAboveChainIdleTimeout_ExitsNonZeroNamingBoth()
    {
        var environment = new Dictionary<string, string> { ["Longhaul__Http__ChainIdleTimeout"] = "00:00:20" };

        var serve = await _env.RunAsync(environment, "serve", "--urls", "http://127.0.0.1:0", "--data-dir", _env.DataDir);

        Assert.True(serve.ExitCode != 0, _env.Logs);
        Assert.Contains("Longhaul:Http:LongPollMax", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("Longhaul:Http:ChainIdleTimeout", serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Longhaul listening on", serve.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Stderr, StringComparison.Ordinal);
    }
}
