using Longhaul.Contracts;
using Longhaul.Sqlite;
using Longhaul.Storage;
using Longhaul.Testing;
using Microsoft.Data.Sqlite;

namespace Longhaul.Store.Tests.Sqlite;

/// <summary>The SQLite store's one-writer group commit: what the conformance suite cannot see through the interface.</summary>
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly InProcessStoreNotifier _notifier = new();
    private SqliteOperationStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteOperationStore(_database.Path, _clock, _notifier);
        await _store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _store.DisposeAsync();
        }
        finally
        {
            _database.Delete();
        }
    }

    /// <summary>
    /// Queues a first write and holds the writer thread in its notification (the SQLite store publishes on it) until
    /// the returned gate is set, so that every write queued meanwhile lands in one batch.
    /// </summary>
    private async Task<(Task<StartResult> First, ManualResetEventSlim Gate, IDisposable Hold)> HoldWriterAsync()
    {
        var gate = new ManualResetEventSlim(false);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        var hold = _notifier.Subscribe((kind, _) =>
        {
            if (kind != StoreNotificationKind.WorkAvailable || Interlocked.Exchange(ref held, 1) != 0) return;
            holding.TrySetResult();
            gate.Wait(TimeSpan.FromSeconds(30));
        });
        var first = _store.StartAsync(new StartParams(NewOp(), null), Ct);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return (first, gate, hold);
    }

    private OperationToStart NewOp(string? id = null)
        => new(id ?? OperationIds.New(_clock), "t", "work", System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone(), null, null, 0, 3, null);

    [Fact]
    public async Task GroupCommit_OneWriteOfABatchFails_OnlyThatWriteFailsAndTheOthersCommit()
    {
        var existing = NewOp();
        await _store.StartAsync(new StartParams(existing, null), Ct);
        var (first, gate, hold) = await HoldWriterAsync();
        using var _ = gate;
        using var __ = hold;
        var batch = new List<(OperationToStart Op, Task<StartResult> Task)>();
        for (var i = 0; i < 10; i++)
        {
            var op = i == 5 ? existing with { Tenant = "t" } : NewOp();
            batch.Add((op, _store.StartAsync(new StartParams(op, null), Ct)));
        }
        gate.Set();

        Assert.Equal(StartOutcome.Started, (await first).Outcome);
        await Assert.ThrowsAsync<SqliteException>(() => batch[5].Task);
        foreach (var (op, task) in batch.Where((_, i) => i != 5))
        {
            Assert.Equal(StartOutcome.Started, (await task).Outcome);
            Assert.NotNull(await _store.GetAsync(new GetParams(null, op.Id), Ct));
        }
        Assert.Equal(11, (await _store.ListAsync(new ListParams("t", null, null, 100, null), Ct)).Operations.Count);
    }

    [Fact]
    public async Task GroupCommit_FailedBatchRetriedOneByOne_KeepsSubmissionOrder()
    {
        var (first, gate, hold) = await HoldWriterAsync();
        using var _ = gate;
        using var __ = hold;
        var earlier = NewOp();
        var later = NewOp(earlier.Id) with { Kind = "other" };
        var before = _store.StartAsync(new StartParams(NewOp(), null), Ct);
        var earlierWrite = _store.StartAsync(new StartParams(earlier, null), Ct);
        var laterWrite = _store.StartAsync(new StartParams(later, null), Ct);
        var after = _store.StartAsync(new StartParams(NewOp(), null), Ct);
        gate.Set();
        await first;

        Assert.Equal(StartOutcome.Started, (await earlierWrite).Outcome);
        await Assert.ThrowsAsync<SqliteException>(() => laterWrite);
        Assert.Equal("work", (await _store.GetAsync(new GetParams(null, earlier.Id), Ct))?.Kind);
        var listed = (await _store.ListAsync(new ListParams("t", null, null, 100, null), Ct)).Operations.Select(o => o.Id).ToList();
        Assert.Equal([(await after).Operation!.Id, earlier.Id, (await before).Operation!.Id], listed.Take(3));
    }

    [Fact]
    public async Task Writes_CancelledBeforeTheWriterRunsThem_AreNotApplied()
    {
        var (first, gate, hold) = await HoldWriterAsync();
        using var _ = gate;
        using var __ = hold;
        using var cts = new CancellationTokenSource();
        var skipped = NewOp();
        var cancelled = _store.StartAsync(new StartParams(skipped, null), cts.Token);
        await cts.CancelAsync();
        gate.Set();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Null(await _store.GetAsync(new GetParams(null, skipped.Id), Ct));
    }

    [Fact]
    public async Task DisposeAsync_AfterQueuedWrites_CompletesThemAndRefusesNewOnes()
    {
        var ops = Enumerable.Range(0, 20).Select(_ => NewOp()).ToList();
        var writes = ops.Select(op => _store.StartAsync(new StartParams(op, null), Ct)).ToList();

        await _store.DisposeAsync();

        Assert.All(await Task.WhenAll(writes), r => Assert.Equal(StartOutcome.Started, r.Outcome));
        Assert.Throws<ObjectDisposedException>(() => { _ = _store.StartAsync(new StartParams(NewOp(), null), Ct); });
        _store = new SqliteOperationStore(_database.Path, _clock, _notifier);
        Assert.Equal(20, (await _store.ListAsync(new ListParams("t", null, null, 100, null), Ct)).Operations.Count);
    }
}
