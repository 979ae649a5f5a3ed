using Longhaul.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>One maintenance leader per schema at a time; the lead passes on when the leader's session ends.</summary>
public sealed class PostgresMaintenanceLeadershipTests : IAsyncDisposable
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly List<PostgresMaintenanceLeadership> _nodes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
    }

    [Fact]
    public async Task IsLeaderAsync_TwoNodes_OnlyFirstLeadsUntilItsSessionEnds()
    {
        var first = Node(_schema);
        var second = Node(_schema);

        Assert.True(await first.IsLeaderAsync(Ct));
        Assert.False(await second.IsLeaderAsync(Ct));
        Assert.True(await first.IsLeaderAsync(Ct));
        Assert.False(await second.IsLeaderAsync(Ct));

        await first.DisposeAsync();

        // The server drops the lock when the old session's backend has ended, which happens after the client's close
        // returns: on a loaded machine the very next try can still find it held. A node tries again at every sweep.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        var leads = await second.IsLeaderAsync(Ct);
        while (!leads && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct); // Pacing between tries, as the sweep does.
            leads = await second.IsLeaderAsync(Ct);
        }
        Assert.True(leads);
    }

    [Fact]
    public async Task IsLeaderAsync_OtherSchema_HasItsOwnLeader()
    {
        Assert.True(await Node(_schema).IsLeaderAsync(Ct));
        Assert.True(await Node(PostgresTestDatabase.NewSchemaName()).IsLeaderAsync(Ct));
    }

    private PostgresMaintenanceLeadership Node(string schema)
    {
        var node = new PostgresMaintenanceLeadership(
            new PostgresStoreOptions { ConnectionString = PostgresTestDatabase.ConnectionStringOrSkip(), Schema = schema },
            NullLogger<PostgresMaintenanceLeadership>.Instance);
        _nodes.Add(node);
        return node;
    }
}
