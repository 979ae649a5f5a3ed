using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary><c>longhaul serve</c>: its start-up report, the data-directory lock and the validation of its settings.</summary>
public sealed class ServeCommandTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Serve_NoApiKeys_StartupLogNamesAddressStoreKindsAndWarns()
    {
        var server = await _env.StartServerAsync();
        var ct = EndToEndEnvironment.Ct;
        var address = server.BaseAddress.ToString().TrimEnd('/');
        var timeout = TimeSpan.FromSeconds(10);

        await server.Process.WaitForLineAsync(l => l.Contains($"Longhaul listening on {address}", StringComparison.Ordinal), timeout, ct);
        await server.Process.WaitForLineAsync(l => l.Contains("Store: SQLite at", StringComparison.Ordinal) && l.Contains(Path.Combine(_env.DataDir, "longhaul.db"), StringComparison.Ordinal), timeout, ct);
        await server.Process.WaitForLineAsync(l => l.Contains("Kinds:", StringComparison.Ordinal) && l.Contains("sleep", StringComparison.Ordinal), timeout, ct);
        var warning = await server.Process.WaitForLineAsync(l => l.Contains("No API keys exist", StringComparison.Ordinal), timeout, ct);
        Assert.Contains("warn", warning, StringComparison.Ordinal);
        Assert.Contains("development mode", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SecondServerOnSameDataDir_ExitsNonZeroNamingLockAndHolderPid()
    {
        var first = await _env.StartServerAsync();

        var second = await _env.RunAsync(null, "serve", "--urls", "http://127.0.0.1:0", "--data-dir", _env.DataDir);

        Assert.True(second.ExitCode != 0, _env.Logs);
        Assert.Contains("longhaul.lock", second.Stderr, StringComparison.Ordinal);
        Assert.Contains(_env.DataDir, second.Stderr, StringComparison.Ordinal);
        Assert.Contains($"(PID {first.Process.Id})", second.Stderr, StringComparison.Ordinal);
        Assert.False(first.Process.HasExited, _env.Logs);
        using var health = await first.Http.GetAsync("/healthz", EndToEndEnvironment.Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Serve_SigTerm_LogsStoppedAndFreesTheDataDirectory()
    {
        var first = await _env.StartServerAsync();
        var ct = EndToEndEnvironment.Ct;

        first.Process.Terminate();

        Assert.Equal(0, await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.Contains(first.Process.Stdout.Split('\n'), l => l.Contains("Longhaul stopped", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_env.DataDir, "longhaul.pid")), _env.Logs);
        var second = await _env.StartServerAsync();
        Assert.Equal(second.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(Path.Combine(_env.DataDir, "longhaul.pid"), ct)).Trim());
    }

    [Theory]
    [InlineData("Longhaul__WorkerSlots=0", "Longhaul:WorkerSlots")]
    [InlineData("Longhaul__LeaseDuration=00:00:05;Longhaul__HeartbeatInterval=00:00:05", "Longhaul:HeartbeatInterval")]
    [InlineData("Longhaul__LeaseDuration=00:00:05;Longhaul__HeartbeatInterval=00:00:10", "Longhaul:HeartbeatInterval")]
    public async Task Serve_InvalidSetting_ExitsNonZeroNamingSetting(string settings, string named)
    {
        var environment = settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

        var serve = await _env.RunAsync(environment, "serve", "--urls", "http://127.0.0.1:0", "--data-dir", _env.DataDir);

        Assert.True(serve.ExitCode != 0, _env.Logs);
        Assert.Contains(named, serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Longhaul listening on", serve.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Stderr, StringComparison.Ordinal); // A message, not a stack trace.
    }
}
