using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task RetryAsync_Running_ReturnsToPendingWithErrorAndIsClaimableOnlyAfterTheDelay()
    {
        var running = await CreateRunningAsync();
        var now = Clock.GetUtcNow();

        var ok = await Store.RetryAsync(new RetryParams(LeaseOf(running), TransientError, TimeSpan.FromSeconds(10)), Ct);

        Assert.True(ok);
        var op = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Pending, op.Status);
        Assert.Equal(1, op.Attempt);
        Assert.Equal("transient", op.Error?.Code);
        Assert.Equal("try again", op.Error?.Message);
        Assert.Equal(now + TimeSpan.FromSeconds(10), op.RunAfter);
        Assert.Null(op.LeaseOwner);
        var last = (await EventsAsync(running.Id))[^1];
        Assert.Equal(EventTypes.Status, last.Type);
        Assert.Equal("pending", StatusOf(last));

        Assert.Empty(await ClaimAsync());
        await AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.Empty(await ClaimAsync());
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        var retried = await ClaimOneAsync(running.Id, OwnerB);
        Assert.Equal(2, retried.Attempt);
        Assert.Equal(running.LeaseEpoch + 1, retried.LeaseEpoch);
    }

    [Fact]
    public async Task ClaimAsync_RetryDelayOfOneOperation_DoesNotHoldBackOthers()
    {
        var delayed = await CreateRunningAsync();
        Assert.True(await Store.RetryAsync(new RetryParams(LeaseOf(delayed), TransientError, TimeSpan.FromMinutes(1)), Ct));
        var ready = await StartOperationAsync();

        var claimed = await ClaimAsync(max: 10);

        Assert.Equal([ready.Id], claimed.Select(o => o.Id));
    }

    [Fact]
    public async Task HandBackAsync_Running_ReturnsToPendingSoTheNextClaimHasTheSameAttempt()
    {
        var running = await CreateRunningAsync();

        var ok = await Store.HandBackAsync(new HandBackParams(LeaseOf(running)), Ct);

        Assert.True(ok);
        var op = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Pending, op.Status);
        Assert.Equal(0, op.Attempt);
        Assert.Null(op.LeaseOwner);
        Assert.Equal("pending", StatusOf((await EventsAsync(running.Id))[^1]));
        var again = await ClaimOneAsync(running.Id, OwnerB);
        Assert.Equal(running.Attempt, again.Attempt);
        Assert.Equal(running.LeaseEpoch + 1, again.LeaseEpoch);
    }

    [Fact]
    public async Task RecordAsync_ProgressAndCheckpoint_ArePersistedWithAProgressEvent()
    {
        var running = await CreateRunningAsync();
        var eta = Clock.GetUtcNow() + TimeSpan.FromMinutes(3);
        var progress = new ProgressInfo { Percent = 42, Current = 420, Total = 1000, Unit = "rows", Message = "importing" };

        var ok = await Store.RecordAsync(new RecordParams(LeaseOf(running), progress, eta, Json("""{"offset":420}""")), Ct);

        Assert.True(ok);
        var op = await GetAsync(running.Id);
        Assert.Equal(progress, op.Progress);
        Assert.Equal(eta, op.EstimatedCompletion);
        Assert.True(op.Checkpoint is { } c && JsonElement.DeepEquals(Json("""{"offset":420}"""), c));
        var last = (await EventsAsync(running.Id))[^1];
        Assert.Equal(EventTypes.Progress, last.Type);
        Assert.Equal(2, last.Seq);
        Assert.Equal(420, last.Data?.GetProperty("progress").GetProperty("current").GetInt64());
    }

    [Fact]
    public async Task RecordAsync_CheckpointOnly_KeepsProgressAndAppendsNoEvent()
    {
        var running = await CreateRunningAsync();
        var progress = new ProgressInfo { Percent = 10 };
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(running), progress, null, Json("""{"step":1}""")), Ct));
        var seqBefore = (await GetAsync(running.Id)).LastEventSeq;

        var ok = await Store.RecordAsync(new RecordParams(LeaseOf(running), null, null, Json("""{"step":2}""")), Ct);

        Assert.True(ok);
        var op = await GetAsync(running.Id);
        Assert.Equal(progress, op.Progress);
        Assert.True(op.Checkpoint is { } c && JsonElement.DeepEquals(Json("""{"step":2}"""), c));
        Assert.Equal(seqBefore, op.LastEventSeq);
        Assert.Equal(seqBefore, (await EventsAsync(running.Id)).Count);
    }

    [Fact]
    public async Task RecordAsync_ProgressOnly_KeepsCheckpoint()
    {
        var running = await CreateRunningAsync();
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(running), null, null, Json("""{"step":1}""")), Ct));

        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(running), new ProgressInfo { Percent = 60 }, null, null), Ct));

        var op = await GetAsync(running.Id);
        Assert.Equal(60, op.Progress?.Percent);
        Assert.True(op.Checkpoint is { } c && JsonElement.DeepEquals(Json("""{"step":1}"""), c));
    }

    [Fact]
    public async Task CompleteAsync_Succeeded_StoresResultAndReleasesLease()
    {
        var running = await CreateRunningAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(2));

        var ok = await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, Json("""{"rows":1000}"""), null), Ct);

        Assert.True(ok);
        var op = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Succeeded, op.Status);
        Assert.True(op.Done);
        Assert.True(op.Result is { } r && JsonElement.DeepEquals(Json("""{"rows":1000}"""), r));
        Assert.Null(op.Error);
        Assert.Equal(Clock.GetUtcNow(), op.FinishedAt);
        Assert.Null(op.LeaseOwner);
        Assert.Null(op.LeaseExpiresAt);
        AssertEndsWithStatusThenDone(await EventsAsync(running.Id), OperationStatus.Succeeded);
    }

    [Fact]
    public async Task CompleteAsync_Failed_StoresError()
    {
        var running = await CreateRunningAsync();
        var error = new OperationError { Code = "bad_input", Message = "row 7 is broken", Details = Json("""{"row":7}""") };

        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Failed, null, error), Ct));

        var op = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Failed, op.Status);
        Assert.Equal("bad_input", op.Error?.Code);
        Assert.Equal("row 7 is broken", op.Error?.Message);
        Assert.True(op.Error?.Details is { } d && JsonElement.DeepEquals(Json("""{"row":7}"""), d));
        Assert.Null(op.Result);
        var events = await EventsAsync(running.Id);
        AssertEndsWithStatusThenDone(events, OperationStatus.Failed);
        Assert.Equal("bad_input", events[^2].Data?.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AppendWarningAsync_Running_IsStoredAsWarningEventAfterEarlierEvents()
    {
        var running = await CreateRunningAsync();
        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("1")), Ct));

        Assert.True(await Store.AppendWarningAsync(new WarningParams(LeaseOf(running), Json("""{"code":"deadline_approaching"}""")), Ct));

        var events = await EventsAsync(running.Id);
        Assert.Equal(EventTypes.Warning, events[^1].Type);
        Assert.Equal(EventTypes.Output, events[^2].Type);
        Assert.Equal(events[^2].Seq + 1, events[^1].Seq);
        Assert.True(events[^1].Data is { } data && JsonElement.DeepEquals(Json("""{"code":"deadline_approaching"}"""), data));
    }

    [Fact]
    public async Task AppendOutputAsync_Chunk_IsStoredAsOutputEvent()
    {
        var running = await CreateRunningAsync();

        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("""{"token":"hello"}""")), Ct));
        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("\" world\"")), Ct));

        var outputs = (await EventsAsync(running.Id)).Where(e => e.Type == EventTypes.Output).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.True(outputs[0].Data is { } a && JsonElement.DeepEquals(Json("""{"token":"hello"}"""), a));
        Assert.True(outputs[1].Data is { } b && JsonElement.DeepEquals(Json("\" world\""), b));
    }

    [Fact]
    public async Task ReadEventsAsync_FullLifecycle_HasGapFreeSequenceEndingInStatusThenDone()
    {
        var op = await StartOperationAsync();
        var first = await ClaimOneAsync(op.Id);
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(first), new ProgressInfo { Percent = 30 }, null, null), Ct));
        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(first), Json("\"chunk\"")), Ct));
        Assert.True(await Store.RetryAsync(new RetryParams(LeaseOf(first), TransientError, TimeSpan.Zero), Ct));
        var second = await ClaimOneAsync(op.Id);
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(second), new ProgressInfo { Percent = 100 }, null, null), Ct));
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(second), OperationStatus.Succeeded, Json("true"), null), Ct));

        var events = await EventsAsync(op.Id);

        AssertGapFree(events);
        Assert.Equal(
            [EventTypes.Status, EventTypes.Progress, EventTypes.Output, EventTypes.Status, EventTypes.Status, EventTypes.Progress, EventTypes.Status, EventTypes.Done],
            events.Select(e => e.Type));
        Assert.Equal(["running", "pending", "running", "succeeded"], events.Where(e => e.Type == EventTypes.Status).Select(StatusOf));
        AssertEndsWithStatusThenDone(events, OperationStatus.Succeeded);
        Assert.Equal(events[^1].Seq, (await GetAsync(op.Id)).LastEventSeq);
    }

    [Fact]
    public async Task ReadEventsAsync_AfterSeq_ReturnsExactlyTheLaterEventsWithinLimit()
    {
        var running = await CreateRunningAsync();
        for (var i = 1; i <= 4; i++)
        {
            Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(running), new ProgressInfo { Current = i }, null, null), Ct));
        }

        var afterTwo = await EventsAsync(running.Id, afterSeq: 2);
        var limited = await Store.ReadEventsAsync(new ReadEventsParams(running.Id, 1, 2), Ct);
        var afterLast = await EventsAsync(running.Id, afterSeq: 5);

        Assert.Equal([3L, 4L, 5L], afterTwo.Select(e => e.Seq));
        Assert.Equal([3L, 4L, 5L], afterTwo.Select(e => e.Data!.Value.GetProperty("progress").GetProperty("current").GetInt64() + 1));
        Assert.Equal([2L, 3L], limited.Select(e => e.Seq));
        Assert.Empty(afterLast);
        Assert.Empty(await EventsAsync(OperationIds.New(Clock)));
    }
}
