using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Postgres;
using Longhaul.Storage;
using Npgsql;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>
/// The group commit of worker writes (PostgresWriteBatcher): writes queued behind a flush go out together, each caller
/// gets its own fenced result, a cancelled write is not written, and one bad write fails alone. A flush is held open
/// by a row lock another transaction takes, so writes queue behind it without timing.
/// </summary>
public sealed class PostgresWriteBatchingTests : IAsyncDisposable
{
    private readonly string _connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly PostgresOperationStore _store;
    private readonly List<NpgsqlConnection> _lockers = [];

    public PostgresWriteBatchingTests()
    {
        _store = new PostgresOperationStore(new PostgresStoreOptions { ConnectionString = _connectionString, Schema = _schema }, new InProcessStoreNotifier());
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _lockers) await connection.DisposeAsync();
        await _store.DisposeAsync();
        await PostgresTestDatabase.DropSchemaAsync(_connectionString, _schema, CancellationToken.None);
    }

    [Fact]
    public async Task ManyConcurrentWritesOfDifferentOperations_EachCallerGetsItsOwnResultAndEventsStaySequential()
    {
        var ops = await CreateAndClaimAsync(48);

        var fresh = ops.Select(op => Task.Run(async () =>
        {
            var lease = new LeaseRef(op.Id, op.LeaseEpoch);
            var recorded = await _store.RecordAsync(new RecordParams(lease, new ProgressInfo { Percent = 50 }, null, Json("{\"step\":1}")), Ct);
            var output = await _store.AppendOutputAsync(new OutputParams(lease, Json("{\"line\":1}")), Ct);
            var completed = await _store.CompleteAsync(new CompleteParams(lease, OperationStatus.Succeeded, Json("{\"ok\":true}"), null), Ct);
            return recorded && output && completed;
        }, Ct));
        var stale = ops.Select(op => Task.Run(() => _store.RecordAsync(new RecordParams(new LeaseRef(op.Id, op.LeaseEpoch - 1), new ProgressInfo { Percent = 99 }, null, null), Ct), Ct));

        Assert.All(await Task.WhenAll(fresh), Assert.True);
        Assert.All(await Task.WhenAll(stale), r => Assert.Equal(EventWriteOutcome.Refused, r.Outcome));
        foreach (var op in ops)
        {
            var events = await _store.ReadEventsAsync(new ReadEventsParams(op.Id, 0, 100), Ct);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
            Assert.Equal(["status", "progress", "output", "status", "done"], events.Select(e => e.Type));
            Assert.Equal(
                EventData.Status(OperationStatus.Succeeded, 1),
                events[3].Data!.Value.GetRawText());
            var stored = (await _store.GetAsync(new GetParams(null, op.Id), Ct))!;
            Assert.Equal(OperationStatus.Succeeded, stored.Status);
            Assert.Equal(50, stored.Progress!.Percent);
            Assert.Equal(events[^1].Seq, stored.LastEventSeq);
        }
    }

    [Fact]
    public async Task WritesQueuedBehindAFlush_GoOutInOneTransaction_StaleOneRefusedAlone()
    {
        var ops = await CreateAndClaimAsync(4);
        var (blocker, a, b, c) = (ops[0], ops[1], ops[2], ops[3]);
        var held = await LockRowAsync(blocker.Id);

        var first = _store.RecordAsync(new RecordParams(Lease(blocker), null, null, Json("{}")), Ct);
        var recordA = _store.RecordAsync(new RecordParams(Lease(a), new ProgressInfo { Percent = 10 }, null, null), Ct);
        var staleB = _store.CompleteAsync(new CompleteParams(new LeaseRef(b.Id, b.LeaseEpoch + 1), OperationStatus.Succeeded, null, null), Ct);
        var completeC = _store.CompleteAsync(new CompleteParams(Lease(c), OperationStatus.Failed, null, new OperationError { Code = "boom", Message = "x" }), Ct);
        await held.RollbackAsync(Ct);

        Assert.True(await first);
        Assert.True(await recordA);
        Assert.False(await staleB);
        Assert.True(await completeC);
        var storedA = (await _store.GetAsync(new GetParams(null, a.Id), Ct))!;
        var storedB = (await _store.GetAsync(new GetParams(null, b.Id), Ct))!;
        var storedC = (await _store.GetAsync(new GetParams(null, c.Id), Ct))!;
        Assert.Equal(OperationStatus.Running, storedB.Status);
        Assert.Equal(b.LastEventSeq, storedB.LastEventSeq);
        Assert.Equal(OperationStatus.Failed, storedC.Status);
        Assert.Equal("boom", storedC.Error!.Code);
        // One transaction: the statements of a batch share its now().
        Assert.Equal(storedA.UpdatedAt, storedC.FinishedAt);
        var eventsC = await _store.ReadEventsAsync(new ReadEventsParams(c.Id, 0, 100), Ct);
        Assert.Equal(EventData.Status(OperationStatus.Failed, 1, storedC.Error), eventsC[^2].Data!.Value.GetRawText());
    }

    [Fact]
    public async Task TwoWritesOfOneOperationQueuedTogether_CommitInTheOrderTheyWereMade()
    {
        var ops = await CreateAndClaimAsync(3);
        var (blocker, a, b) = (ops[0], ops[1], ops[2]);
        var held = await LockRowAsync(blocker.Id);

        var first = _store.RecordAsync(new RecordParams(Lease(blocker), null, null, Json("{}")), Ct);
        // Queued behind the held flush without waiting in between: two checkpoints of A, A's completion, then B's.
        var recordA1 = _store.RecordAsync(new RecordParams(Lease(a), new ProgressInfo { Percent = 50 }, null, Json("{\"step\":4}")), Ct);
        var recordA2 = _store.RecordAsync(new RecordParams(Lease(a), new ProgressInfo { Percent = 100 }, null, Json("{\"step\":5}")), Ct);
        var completeA = _store.CompleteAsync(new CompleteParams(Lease(a), OperationStatus.Succeeded, Json("{\"ok\":1}"), null), Ct);
        var completeB = _store.CompleteAsync(new CompleteParams(Lease(b), OperationStatus.Succeeded, null, null), Ct);
        await held.RollbackAsync(Ct);

        Assert.True(await first);
        Assert.True(await recordA1);
        Assert.True(await recordA2);
        Assert.True(await completeA);
        Assert.True(await completeB);
        var storedA = (await _store.GetAsync(new GetParams(null, a.Id), Ct))!;
        Assert.Equal(OperationStatus.Succeeded, storedA.Status);
        Assert.Equal("{\"step\":5}", storedA.Checkpoint!.Value.GetRawText());
        var events = await _store.ReadEventsAsync(new ReadEventsParams(a.Id, 0, 100), Ct);
        Assert.Equal(["status", "progress", "progress", "status", "done"], events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal([50.0, 100.0], events.Where(e => e.Type == "progress").Select(e => e.Data!.Value.GetProperty("progress").GetProperty("percent").GetDouble()));
    }

    [Fact]
    public async Task RecordsOfSeveralOperationsInOneFlush_EachKeepsItsOwnValuesAndNulls()
    {
        var ops = await CreateAndClaimAsync(4);
        var (blocker, a, b, c) = (ops[0], ops[1], ops[2], ops[3]);
        Assert.True(await _store.RecordAsync(new RecordParams(Lease(b), new ProgressInfo { Percent = 20 }, null, Json("{\"b\":0}")), Ct));
        var eta = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var held = await LockRowAsync(blocker.Id);

        var first = _store.RecordAsync(new RecordParams(Lease(blocker), null, null, Json("{}")), Ct);
        var recordA = _store.RecordAsync(new RecordParams(Lease(a), new ProgressInfo { Percent = 40 }, eta, null), Ct);
        var recordB = _store.RecordAsync(new RecordParams(Lease(b), null, null, Json("{\"b\":1}")), Ct);
        var staleC = _store.RecordAsync(new RecordParams(new LeaseRef(c.Id, c.LeaseEpoch + 1), new ProgressInfo { Percent = 90 }, eta, Json("{}")), Ct);
        await held.RollbackAsync(Ct);

        Assert.True(await first);
        Assert.True(await recordA);
        Assert.True(await recordB);
        Assert.False(await staleC);
        var storedA = (await _store.GetAsync(new GetParams(null, a.Id), Ct))!;
        var storedB = (await _store.GetAsync(new GetParams(null, b.Id), Ct))!;
        var storedC = (await _store.GetAsync(new GetParams(null, c.Id), Ct))!;
        Assert.Equal(40, storedA.Progress!.Percent);
        Assert.Equal(eta, storedA.EstimatedCompletion);
        Assert.Null(storedA.Checkpoint);
        // B's record carried a checkpoint only: its progress is the one written before, and it made no event.
        Assert.Equal(20, storedB.Progress!.Percent);
        Assert.Equal("{\"b\":1}", storedB.Checkpoint!.Value.GetRawText());
        Assert.Equal(["status", "progress"], (await _store.ReadEventsAsync(new ReadEventsParams(b.Id, 0, 100), Ct)).Select(e => e.Type));
        Assert.Null(storedC.Progress);
        Assert.Equal(c.LastEventSeq, storedC.LastEventSeq);
    }

    [Fact]
    public async Task WriteCancelledBeforeAFlushTakesIt_IsNotWritten()
    {
        var ops = await CreateAndClaimAsync(2);
        var (blocker, a) = (ops[0], ops[1]);
        var held = await LockRowAsync(blocker.Id);
        var first = _store.RecordAsync(new RecordParams(Lease(blocker), null, null, Json("{}")), Ct);
        using var cancel = new CancellationTokenSource();

        var queued = _store.RecordAsync(new RecordParams(Lease(a), new ProgressInfo { Percent = 10 }, null, Json("{\"x\":1}")), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await held.RollbackAsync(Ct);
        Assert.True(await first);
        // A later write of the same operation goes through, and the cancelled one left nothing behind.
        Assert.True(await _store.AppendOutputAsync(new OutputParams(Lease(a), Json("{}")), Ct));
        var stored = (await _store.GetAsync(new GetParams(null, a.Id), Ct))!;
        Assert.Null(stored.Progress);
        Assert.Null(stored.Checkpoint);
        var events = await _store.ReadEventsAsync(new ReadEventsParams(a.Id, 0, 100), Ct);
        Assert.Equal(["status", "output"], events.Select(e => e.Type));
    }

    [Fact]
    public async Task BatchWithOneFailingWrite_OthersCommitAndOnlyThatCallerFails()
    {
        var ops = await CreateAndClaimAsync(4);
        var (blocker, a, b, c) = (ops[0], ops[1], ops[2], ops[3]);
        // B's next event seq is taken already: its write breaks the events' primary key.
        await ExecuteAsync($"INSERT INTO \"{_schema}\".operation_events (operation_seq, seq, type, data, created_at) SELECT seq, last_event_seq + 1, 'output', NULL, now() FROM \"{_schema}\".operations WHERE id = '{b.Id}'");
        var held = await LockRowAsync(blocker.Id);

        var first = _store.RecordAsync(new RecordParams(Lease(blocker), null, null, Json("{}")), Ct);
        var outputA = _store.AppendOutputAsync(new OutputParams(Lease(a), Json("{\"a\":1}")), Ct);
        var outputB = _store.AppendOutputAsync(new OutputParams(Lease(b), Json("{\"b\":1}")), Ct);
        var outputC = _store.AppendOutputAsync(new OutputParams(Lease(c), Json("{\"c\":1}")), Ct);
        await held.RollbackAsync(Ct);

        Assert.True(await first);
        Assert.True(await outputA);
        var error = await Assert.ThrowsAsync<PostgresException>(() => outputB);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.True(await outputC);
        Assert.Equal(b.LastEventSeq, (await _store.GetAsync(new GetParams(null, b.Id), Ct))!.LastEventSeq);
        Assert.Equal(a.LastEventSeq + 1, (await _store.GetAsync(new GetParams(null, a.Id), Ct))!.LastEventSeq);
        Assert.Equal(c.LastEventSeq + 1, (await _store.GetAsync(new GetParams(null, c.Id), Ct))!.LastEventSeq);
    }

    private static LeaseRef Lease(Operation op) => new(op.Id, op.LeaseEpoch);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private async Task<List<Operation>> CreateAndClaimAsync(int count)
    {
        await _store.MigrateAsync(Ct);
        for (var i = 0; i < count; i++)
        {
            var op = new OperationToStart(OperationIds.New(TimeProvider.System), "tenant-a", "work", Json("{}"), null, null, 0, 3, null);
            await _store.StartAsync(new StartParams(op, null), Ct);
        }
        var claimed = await _store.ClaimAsync(new ClaimParams("node-a", ["work"], count, TimeSpan.FromMinutes(5)), Ct);
        Assert.Equal(count, claimed.Count);
        return claimed.OrderBy(o => o.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Locks the operation's row in a transaction of another connection, until the returned transaction ends.</summary>
    private async Task<NpgsqlTransaction> LockRowAsync(string id)
    {
        var connection = new NpgsqlConnection(_connectionString);
        _lockers.Add(connection);
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT 1 FROM \"{_schema}\".operations WHERE id = @id FOR UPDATE", connection, transaction);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteScalarAsync(Ct);
        return transaction;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
