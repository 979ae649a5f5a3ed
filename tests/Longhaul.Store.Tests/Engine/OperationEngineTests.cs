using Longhaul.Contracts;
using Longhaul.Kinds;
using Longhaul.Sqlite;
using Longhaul.Storage;
using Longhaul.Store.Tests.Sqlite;

namespace Longhaul.Store.Tests.Engine;

/// <summary>The engine end to end in one process: a real host, the SQLite store on a temp file, real time.</summary>
public sealed class OperationEngineTests
{
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Engine_HandlerReturns_OperationSucceedsWithResult()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(SucceedingHandler.KindName);

        var done = await host.WaitUntilDoneAsync(op.Id);

        Assert.Equal(OperationStatus.Succeeded, done.Status);
        Assert.Equal(42, done.Result?.GetProperty("answer").GetInt32());
        Assert.Equal(1, done.Attempt);
        Assert.Null(done.Error);
        Assert.Equal(1, host.Probe.Invocations(op.Id));
        var events = await host.Store.ReadEventsAsync(new ReadEventsParams(op.Id, 0, 100), Ct);
        Assert.Equal([EventTypes.Status, EventTypes.Progress, EventTypes.Status, EventTypes.Done], events.Select(e => e.Type));
    }

    [Fact]
    public async Task Engine_HandlerThrowsPermanentFailure_FailsAtOnceWithItsCode()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(PermanentFailureHandler.KindName, maxAttempts: 5);

        var done = await host.WaitUntilDoneAsync(op.Id);

        Assert.Equal(OperationStatus.Failed, done.Status);
        Assert.Equal("bad_input", done.Error?.Code);
        Assert.Equal("The input cannot be processed.", done.Error?.Message);
        Assert.Equal(1, done.Attempt);
        Assert.Equal(1, host.Probe.Invocations(op.Id));
    }

    [Fact]
    public async Task Engine_HandlerKeepsThrowing_RetriesUntilMaxAttemptsThenFailsAttemptsExhausted_WithoutTheExceptionsText()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(ThrowingHandler.KindName, maxAttempts: 3);

        var done = await host.WaitUntilDoneAsync(op.Id);

        Assert.Equal(OperationStatus.Failed, done.Status);
        Assert.Equal("attempts_exhausted", done.Error?.Code);
        // The exception's message and type go to the log, never into the operation.
        Assert.Equal("Attempt 3 of 3 failed with an unexpected error. Details are in the server log.", done.Error?.Message);
        Assert.DoesNotContain("broke", done.Error?.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", done.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(3, done.Attempt);
        Assert.Equal(3, host.Probe.Invocations(op.Id));
        var events = await host.Store.ReadEventsAsync(new ReadEventsParams(op.Id, 0, 100), Ct);
        var statuses = events.Where(e => e.Type == EventTypes.Status).Select(e => e.Data?.GetProperty("status").GetString());
        Assert.Equal(["running", "pending", "running", "pending", "running", "failed"], statuses);
        var retried = events.Where(e => e.Type == EventTypes.Status && e.Data?.GetProperty("status").GetString() == "pending").ToList();
        Assert.All(retried, e => Assert.DoesNotContain("broke", e.Data?.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Engine_UserCancelsRunningOperation_TokenFiresAndOperationEndsCancelled()
    {
        await using var host = await EngineHost.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromSeconds(5));
        var op = await host.StartOperationAsync(WaitForTokenHandler.KindName);
        await host.Probe.WhenStartedAsync(op.Id, SignalTimeout);

        var cancel = await host.Store.CancelAsync(new CancelParams(EngineHost.Tenant, op.Id), Ct);

        Assert.Equal(CancelOutcome.Requested, cancel.Outcome);
        // The heartbeat (5 s) is the backstop: a token firing well before it proves the direct wake-up path.
        await host.Probe.WhenTokenFiredAsync(op.Id, TimeSpan.FromSeconds(4));
        var done = await host.WaitUntilDoneAsync(op.Id);
        Assert.Equal(OperationStatus.Cancelled, done.Status);
        Assert.Equal("cancelled", done.Error?.Code);
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task Engine_TimeoutSecondsPasses_HandlerIsStoppedAndOperationFailsDeadlineExceeded()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(WaitForTokenHandler.KindName, timeoutSeconds: 0.5);

        var done = await host.WaitUntilDoneAsync(op.Id);

        Assert.Equal(OperationStatus.Failed, done.Status);
        Assert.Equal("deadline_exceeded", done.Error?.Code);
        Assert.True(done.FinishedAt >= done.DeadlineAt);
        Assert.True(host.Probe.Invocations(op.Id) == 0 || host.Probe.HasTokenFired(op.Id));
    }

    [Fact]
    public async Task Engine_DeadlineStopsAHandlerThatExplainsIt_TheErrorKeepsItsMessageAndDetails()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(ExplainsDeadlineHandler.KindName, timeoutSeconds: 2);

        var done = await host.WaitUntilDoneAsync(op.Id);

        Assert.Equal(OperationStatus.Failed, done.Status);
        Assert.Equal("deadline_exceeded", done.Error?.Code);
        // Only a handler that started can explain; one claimed after the deadline gets the engine's own message.
        if (host.Probe.Invocations(op.Id) > 0)
        {
            Assert.Equal("The deadline cut the slow step short.", done.Error?.Message);
            Assert.Equal("slow", done.Error?.Details?.GetProperty("step").GetString());
        }
    }

    [Fact]
    public async Task Engine_GracefulShutdownWhileHandlerRuns_HandsOperationBackWithoutConsumingTheAttempt()
    {
        var host = await EngineHost.StartAsync(o => o.ShutdownGracePeriod = TimeSpan.Zero);
        await using var _ = host;
        var op = await host.StartOperationAsync(WaitForTokenHandler.KindName);
        await host.Probe.WhenStartedAsync(op.Id, SignalTimeout);

        await host.StopAsync();

        Assert.True(host.Probe.HasTokenFired(op.Id));
        var after = await host.Store.GetAsync(new GetParams(null, op.Id), Ct);
        Assert.NotNull(after);
        Assert.Equal(OperationStatus.Pending, after.Status);
        Assert.Equal(0, after.Attempt);
        Assert.Null(after.LeaseOwner);
        Assert.Null(after.Error);
        var last = (await host.Store.ReadEventsAsync(new ReadEventsParams(op.Id, 0, 100), Ct))[^1];
        Assert.Equal("pending", last.Data?.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Engine_ShutdownWhileHandlerFinishesWithinGracePeriod_OperationSucceeds()
    {
        var host = await EngineHost.StartAsync(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(10));
        await using var _ = host;
        var op = await host.StartOperationAsync(FinishOnShutdownHandler.KindName);
        await host.Probe.WhenStartedAsync(op.Id, SignalTimeout);

        await host.StopAsync();

        var after = await host.Store.GetAsync(new GetParams(null, op.Id), Ct);
        Assert.NotNull(after);
        Assert.Equal(OperationStatus.Succeeded, after.Status);
        Assert.True(after.Result?.GetProperty("finished_during_shutdown").GetBoolean());
        Assert.False(after.Result?.GetProperty("token_cancelled").GetBoolean());
        Assert.Equal(1, after.Attempt);
        Assert.False(host.Probe.HasTokenFired(op.Id));
    }

    [Fact]
    public async Task Engine_SleepKindFailingFirstAttempt_SucceedsOnSecondAttemptResumingFromCheckpoint()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(SleepHandler.KindName, """{"seconds":0.2,"steps":4,"fail_attempts":1}""");

        var done = await host.WaitUntilDoneAsync(op.Id);

        Assert.Equal(OperationStatus.Succeeded, done.Status);
        Assert.Equal(2, done.Attempt);
        Assert.Equal(2, done.Result?.GetProperty("attempts").GetInt32());
        Assert.Equal(4, done.Result?.GetProperty("steps_completed").GetInt32());
        var events = await host.Store.ReadEventsAsync(new ReadEventsParams(op.Id, 0, 100), Ct);
        var retryAt = events.ToList().FindIndex(e => e.Type == EventTypes.Status && e.Data?.GetProperty("status").GetString() == "pending");
        Assert.True(retryAt > 0, "no retry in the event log");
        var checkpointedStep = events.Take(retryAt).Where(e => e.Type == EventTypes.Progress)
            .Select(e => e.Data!.Value.GetProperty("progress").GetProperty("current").GetInt64()).DefaultIfEmpty(0).Max();
        Assert.True(checkpointedStep >= 1, "the first attempt saved no checkpoint before failing");
        Assert.True(done.Result?.GetProperty("resumed_from_step").GetInt64() >= checkpointedStep);
    }

    [Fact]
    public async Task Engine_StartedAfterCrashLeftALease_TakesItBackAtOnceAndFinishesOnAttemptTwo()
    {
        var database = new TempDatabase();
        try
        {
            string id;
            await using (var dead = new SqliteOperationStore(database.Path, TimeProvider.System, new InProcessStoreNotifier()))
            {
                await dead.MigrateAsync(Ct);
                var op = new OperationToStart(
                    OperationIds.New(TimeProvider.System), EngineHost.Tenant, SucceedingHandler.KindName,
                    System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone(), null, null, 0, 3, null);
                id = (await dead.StartAsync(new StartParams(op, null), Ct)).Operation!.Id;
                var claimed = await dead.ClaimAsync(new ClaimParams("dead-node", [SucceedingHandler.KindName], 1, TimeSpan.FromHours(1)), Ct);
                Assert.Equal(id, Assert.Single(claimed).Id);
            }

            await using var host = await EngineHost.StartAsync(o => o.LeaseDuration = TimeSpan.FromHours(1), database);
            var done = await host.WaitUntilDoneAsync(id);

            Assert.Equal(OperationStatus.Succeeded, done.Status);
            Assert.Equal(2, done.Attempt);
            Assert.Equal(2, done.LeaseEpoch);
            Assert.Equal(2, done.Result?.GetProperty("attempt").GetInt32());
            Assert.Equal(1, host.Probe.Invocations(id));
        }
        finally
        {
            database.Delete();
        }
    }

    [Fact]
    public async Task Engine_UserCancelHitsAThrowingTokenCallback_OperationIsCancelledAndStoreKeepsWorking()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(ThrowingCallbackHandler.KindName);
        await host.Probe.WhenStartedAsync(op.Id, SignalTimeout);

        var cancel = await host.Store.CancelAsync(new CancelParams(EngineHost.Tenant, op.Id), Ct).WaitAsync(SignalTimeout, Ct);

        Assert.Equal(CancelOutcome.Requested, cancel.Outcome);
        Assert.Equal(OperationStatus.Cancelled, (await host.WaitUntilDoneAsync(op.Id)).Status);
        var next = await host.StartOperationAsync(SucceedingHandler.KindName);
        Assert.Equal(OperationStatus.Succeeded, (await host.WaitUntilDoneAsync(next.Id)).Status);
    }
}
