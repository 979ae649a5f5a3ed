using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary><c>--store</c>, <c>--connection</c> and <c>--role</c>: bad combinations stop with a message; the maintenance commands work on PostgreSQL.</summary>
public sealed class StoreSelectionTests : PostgresNodesTest
{


    [Theory]
    [InlineData("--role api", "--store postgres")]
    [InlineData("--role worker", "--store postgres")]
    [InlineData("--role boss", "Unknown role 'boss'")]
    [InlineData("--store postgres", "--connection")]
    [InlineData("--store mysql", "Unknown store 'mysql'")]
    public async Task Serve_InvalidStoreOrRole_ExitsNonZeroWithMessage(string options, string message)
    {
        var serve = await Env.RunAsync(null, ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", Env.DataDir, .. options.Split(' ')]);

        Assert.True(serve.ExitCode != 0, Env.Logs);
        Assert.Contains(message, serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Longhaul listening on", serve.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_OnPostgres_CreatedKeyIsListed()
    {
        CreateSchema();
        var environment = new Dictionary<string, string> { ["Longhaul__Postgres__Schema"] = Schema.Name };
        string[] store = ["--store", "postgres", "--connection", Schema.ConnectionString];

        var create = await Env.RunAsync(environment, ["keys", "create", "--tenant", "acme", .. store]);
        var list = await Env.RunAsync(environment, ["keys", "list", .. store]);

        Assert.True(create.ExitCode == 0 && create.Stdout.StartsWith("lh_", StringComparison.Ordinal), Env.Logs);
        Assert.True(list.ExitCode == 0 && list.Stdout.Contains("\tacme\t", StringComparison.Ordinal), Env.Logs);
    }
}
