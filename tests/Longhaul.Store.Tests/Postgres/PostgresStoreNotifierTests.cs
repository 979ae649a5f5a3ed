using Longhaul.Postgres;
using Longhaul.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>Two nodes' notifiers on one schema: notifications cross between them, once, and survive a dropped listening connection.</summary>
public sealed class PostgresStoreNotifierTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly List<PostgresStoreNotifier> _nodes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync(CancellationToken.None);
            node.Dispose();
        }
    }

    [Fact]
    public async Task Publish_OnOneNode_ReachesTheOtherNodeAndItsOwnListenersOnce()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var atA = new List<(StoreNotificationKind, string?)>();
        var atB = new TaskCompletionSource<(StoreNotificationKind, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subA = a.Subscribe((k, id) => { lock (atA) atA.Add((k, id)); });
        using var subB = b.Subscribe((k, id) => atB.TrySetResult((k, id)));

        a.Publish(StoreNotificationKind.CancelRequested, "op_123");

        Assert.Equal((StoreNotificationKind.CancelRequested, (string?)"op_123"), await atB.Task.WaitAsync(Timeout, Ct));
        // A round trip through B proves A's own notification has come back from the server by now, if it ever would.
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subBack = a.Subscribe((k, _) => { if (k == StoreNotificationKind.WorkAvailable) back.TrySetResult(); });
        b.Publish(StoreNotificationKind.WorkAvailable, null);
        await back.Task.WaitAsync(Timeout, Ct);
        lock (atA) Assert.Equal([(StoreNotificationKind.CancelRequested, "op_123"), (StoreNotificationKind.WorkAvailable, null)], atA);
    }

    [Fact]
    public async Task ListeningConnection_TerminatedByServer_ReconnectsAndReceivesAgain()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();

        await using (var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionStringOrSkip()))
        {
            await connection.OpenAsync(Ct);
            await using var kill = connection.CreateCommand();
            kill.CommandText = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = @listen";
            kill.Parameters.AddWithValue("listen", $"LISTEN \"lh_{_schema}\"");
            Assert.Equal(2L, await kill.ExecuteScalarAsync(Ct));
        }

        // Both listeners died; the fresh ones must hear a notification sent after they are back.
        var received = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sub = b.Subscribe((k, id) => { if (k == StoreNotificationKind.OperationChanged) received.TrySetResult(id); });
        while (!received.Task.IsCompleted)
        {
            await Task.WhenAll(a.Listening, b.Listening).WaitAsync(Timeout, Ct);
            a.Publish(StoreNotificationKind.OperationChanged, "op_after");
            // The failure may not have been noticed yet when Listening was read: then publish again once it is.
            await Task.WhenAny(received.Task, Task.Delay(TimeSpan.FromMilliseconds(500), Ct));
        }
        Assert.Equal("op_after", await received.Task);
    }

    private async Task<PostgresStoreNotifier> StartNodeAsync()
    {
        var node = new PostgresStoreNotifier(
            new PostgresStoreOptions { ConnectionString = PostgresTestDatabase.ConnectionStringOrSkip(), Schema = _schema },
            TimeProvider.System, NullLogger<PostgresStoreNotifier>.Instance);
        _nodes.Add(node);
        await node.StartAsync(Ct);
        await node.Listening.WaitAsync(Timeout, Ct);
        return node;
    }
}
