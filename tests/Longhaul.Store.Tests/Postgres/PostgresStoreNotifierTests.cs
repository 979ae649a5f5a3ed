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
            // A listening session's last statement is its last LISTEN (work channel, then changes channel).
            kill.CommandText = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query IN (@work, @changes)";
            kill.Parameters.AddWithValue("work", $"LISTEN \"lh_{_schema}\"");
            kill.Parameters.AddWithValue("changes", $"LISTEN \"lhc_{_schema}\"");
            Assert.Equal(2L, await kill.ExecuteScalarAsync(Ct));
        }

        // Both listeners died; the fresh ones must hear a notification sent after they are back.
        var received = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sub = b.Subscribe((k, id) => { if (k == StoreNotificationKind.OperationChanged) received.TrySetResult(id); });
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bounded.CancelAfter(Timeout);
        while (!received.Task.IsCompleted)
        {
            await Task.WhenAll(a.Listening, b.Listening).WaitAsync(Timeout, Ct);
            a.Publish(StoreNotificationKind.OperationChanged, "op_after");
            // The failure may not have been noticed yet when Listening was read: then publish again once it is.
            await Task.WhenAny(received.Task, Task.Delay(TimeSpan.FromMilliseconds(500), bounded.Token));
            bounded.Token.ThrowIfCancellationRequested();
        }
        Assert.Equal("op_after", await received.Task);
    }

    [Fact]
    public async Task WorkerOnlyNode_HearsWorkAndCancels_NotChanges_AndApiOnlyNode_TheOpposite()
    {
        var sender = await StartNodeAsync();
        var all = await StartNodeAsync();
        var worker = await StartNodeAsync(work: true, changes: false);
        var api = await StartNodeAsync(work: false, changes: true);
        var atWorker = new List<(StoreNotificationKind, string?)>();
        var atApi = new List<(StoreNotificationKind, string?)>();
        using var subWorker = worker.Subscribe((k, id) => { lock (atWorker) atWorker.Add((k, id)); });
        using var subApi = api.Subscribe((k, id) => { lock (atApi) atApi.Add((k, id)); });

        // Each node hears the notifications of one sender in the order they were sent, whatever their channel: once
        // the last one has arrived where it is wanted, an earlier one that was not wanted would have arrived before it.
        var changedAtAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subAll = all.Subscribe((k, id) => { if (k == StoreNotificationKind.OperationChanged && id == "op_changed") changedAtAll.TrySetResult(); });
        sender.Publish(StoreNotificationKind.OperationChanged, "op_changed");
        await changedAtAll.Task.WaitAsync(Timeout, Ct);
        var workAtWorker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subWorkerDone = worker.Subscribe((k, id) => { if (k == StoreNotificationKind.CancelRequested && id == "op_cancel") workAtWorker.TrySetResult(); });
        sender.Publish(StoreNotificationKind.WorkAvailable, null);
        sender.Publish(StoreNotificationKind.CancelRequested, "op_cancel");
        await workAtWorker.Task.WaitAsync(Timeout, Ct);
        var changedAtApi = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subApiDone = api.Subscribe((k, id) => { if (k == StoreNotificationKind.OperationChanged && id == "op_last") changedAtApi.TrySetResult(); });
        sender.Publish(StoreNotificationKind.OperationChanged, "op_last");
        await changedAtApi.Task.WaitAsync(Timeout, Ct);

        lock (atWorker) Assert.Equal([(StoreNotificationKind.WorkAvailable, null), (StoreNotificationKind.CancelRequested, "op_cancel")], atWorker);
        lock (atApi) Assert.Equal([(StoreNotificationKind.OperationChanged, "op_changed"), (StoreNotificationKind.OperationChanged, "op_last")], atApi);
    }

    [Fact]
    public async Task ManyChanges_PackedIntoFewPayloads_AllArrive()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var ids = Enumerable.Range(0, 1500).Select(i => $"op_{i:D26}").ToList();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sub = b.Subscribe((k, id) =>
        {
            if (k != StoreNotificationKind.OperationChanged || id is null) return;
            lock (seen)
            {
                seen[id] = seen.GetValueOrDefault(id) + 1;
                if (id == ids[^1]) all.TrySetResult();
            }
        });

        // 1,500 ids of 29 characters need several payloads; each is published twice (in one batch, it is sent once).
        foreach (var id in ids) a.Publish(StoreNotificationKind.OperationChanged, id);
        foreach (var id in ids) a.Publish(StoreNotificationKind.OperationChanged, id);
        await all.Task.WaitAsync(Timeout, Ct);

        lock (seen)
        {
            Assert.Equal(ids.Count, seen.Count);
            Assert.All(ids, id => Assert.InRange(seen[id], 1, 2));
        }
    }

    private async Task<PostgresStoreNotifier> StartNodeAsync(bool work = true, bool changes = true)
    {
        var node = new PostgresStoreNotifier(
            new PostgresStoreOptions
            {
                ConnectionString = PostgresTestDatabase.ConnectionStringOrSkip(),
                Schema = _schema,
                ReceiveWorkNotifications = work,
                ReceiveChangeNotifications = changes,
            },
            TimeProvider.System, NullLogger<PostgresStoreNotifier>.Instance);
        _nodes.Add(node);
        await node.StartAsync(Ct);
        await node.Listening.WaitAsync(Timeout, Ct);
        return node;
    }
}
