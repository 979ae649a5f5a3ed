using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary><c>--store</c>, <c>--connection</c> and <c>--role</c>: bad combinations stop with a message; the maintenance commands work on PostgreSQL.</summary>
public sealed class StoreSelectionTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();
    private PostgresTestSchema? _schema;

    public async ValueTask DisposeAsync()
    {
        await _env.DisposeAsync();
        if (_schema is not null) await _schema.DisposeAsync();
    }

    [Theory]
    [InlineData("--role api", "--store postgres")]
    [InlineData("--role worker", "--store postgres")]
    [InlineData("--role boss", "Unknown role 'boss'")]
    [InlineData("--store postgres", "--connection")]
    [InlineData("--store mysql", "Unknown store 'mysql'")]
    public async Task Serve_InvalidStoreOrRole_ExitsNonZeroWithMessage(string options, string message)
    {
        var serve = await _env.RunAsync(null, ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", _env.DataDir, .. options.Split(' ')]);

        Assert.True(serve.ExitCode != 0, _env.Logs);
        Assert.Contains(message, serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Longhaul listening on", serve.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_OnPostgres_CreatedKeyIsListed()
    {
        _schema = PostgresTestSchema.CreateOrSkip();
        var environment = new Dictionary<string, string> { ["Longhaul__Postgres__Schema"] = _schema.Name };
        string[] store = ["--store", "postgres", "--connection", _schema.ConnectionString];

        var create = await _env.RunAsync(environment, ["keys", "create", "--tenant", "acme", .. store]);
        var list = await _env.RunAsync(environment, ["keys", "list", .. store]);

        Assert.True(create.ExitCode == 0 && create.Stdout.StartsWith("lh_", StringComparison.Ordinal), _env.Logs);
        Assert.True(list.ExitCode == 0 && list.Stdout.Contains("\tacme\t", StringComparison.Ordinal), _env.Logs);
    }
}
