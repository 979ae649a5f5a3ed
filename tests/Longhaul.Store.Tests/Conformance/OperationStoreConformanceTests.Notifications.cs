using System.Collections.Concurrent;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task StartAsync_NewOperation_PublishesWorkAvailable()
    {
        using var recorder = new NotificationRecorder(Notifier);

        await StartOperationAsync();

        await recorder.WaitForAsync(StoreNotificationKind.WorkAvailable, null, NotificationTimeout);
    }

    [Fact]
    public async Task StartAsync_Replayed_PublishesNoWorkAvailable()
    {
        var key = new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(1), null);
        var first = await StartOperationAsync(NewOp(), key);
        using var recorder = new NotificationRecorder(Notifier);
        await Store.StartAsync(new StartParams(NewOp(), key), Ct);
        // A later change acts as a barrier: notifications arrive in commit order.
        var running = await ClaimOneAsync(first.Id);
        await recorder.WaitForAsync(StoreNotificationKind.OperationChanged, running.Id, NotificationTimeout);

        Assert.DoesNotContain(recorder.Seen, s => s.Kind == StoreNotificationKind.WorkAvailable);
    }

    [Theory]
    [InlineData("claim")]
    [InlineData("progress")]
    [InlineData("output")]
    [InlineData("complete")]
    [InlineData("retry")]
    [InlineData("hand_back")]
    [InlineData("cancel_pending")]
    [InlineData("cancel_running")]
    [InlineData("reap")]
    public async Task StateChange_Committed_PublishesOperationChangedForTheOperation(string change)
    {
        var op = await StartOperationAsync();
        var running = change is "claim" or "cancel_pending" ? null : await ClaimOneAsync(op.Id);
        using var recorder = new NotificationRecorder(Notifier);

        switch (change)
        {
            case "claim": await ClaimOneAsync(op.Id); break;
            case "progress": Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(running!), new ProgressInfo { Percent = 5 }, null, null), Ct)); break;
            case "output": Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running!), Json("1")), Ct)); break;
            case "complete": Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running!), OperationStatus.Succeeded, null, null), Ct)); break;
            case "retry": Assert.True(await Store.RetryAsync(new RetryParams(LeaseOf(running!), TransientError, TimeSpan.Zero), Ct)); break;
            case "hand_back": Assert.True(await Store.HandBackAsync(new HandBackParams(LeaseOf(running!)), Ct)); break;
            case "cancel_pending": Assert.Equal(CancelOutcome.Cancelled, (await Store.CancelAsync(new CancelParams(Tenant, op.Id), Ct)).Outcome); break;
            case "cancel_running": Assert.Equal(CancelOutcome.Requested, (await Store.CancelAsync(new CancelParams(Tenant, op.Id), Ct)).Outcome); break;
            case "reap":
                await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));
                Assert.Equal(1, (await Store.ReapAsync(new ReapParams(), Ct)).Requeued);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(change));
        }

        await recorder.WaitForAsync(StoreNotificationKind.OperationChanged, op.Id, NotificationTimeout);
    }

    [Fact]
    public async Task CancelAsync_Running_PublishesCancelRequestedForTheOperation()
    {
        var running = await CreateRunningAsync();
        var bystander = await CreateRunningAsync();
        using var recorder = new NotificationRecorder(Notifier);

        await Store.CancelAsync(new CancelParams(Tenant, running.Id), Ct);

        await recorder.WaitForAsync(StoreNotificationKind.CancelRequested, running.Id, NotificationTimeout);
        Assert.DoesNotContain(recorder.Seen, s => s.Kind == StoreNotificationKind.CancelRequested && s.Id == bystander.Id);
    }

    [Fact]
    public async Task ConcurrentCreateAndClaim_ManyTasks_NeverClaimOneOperationTwiceAndLoseNone()
    {
        const int producers = 4;
        const int perProducer = 60;
        const int consumers = 4;
        var created = new ConcurrentBag<string>();
        var claims = new ConcurrentBag<Operation>();
        var producing = producers;

        var producerTasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < perProducer; i++)
                {
                    var op = NewOp(priority: i % 3);
                    var result = await Store.StartAsync(new StartParams(op, i % 4 == 0 ? new IdempotencyClaim($"k-{p}-{i}", "h", TimeSpan.FromHours(1), null) : null), Ct);
                    Assert.Equal(StartOutcome.Started, result.Outcome);
                    created.Add(op.Id);
                }
            }
            finally
            {
                Interlocked.Decrement(ref producing);
            }
        }, Ct));
        var consumerTasks = Enumerable.Range(0, consumers).Select(c => Task.Run(async () =>
        {
            while (true)
            {
                // Read before claiming: an empty claim after all producers finished means nothing is left.
                var finished = Volatile.Read(ref producing) == 0;
                var batch = await Store.ClaimAsync(new ClaimParams($"consumer-{c}", [Kind], 1 + (c % 3), Lease), Ct);
                foreach (var op in batch) claims.Add(op);
                if (batch.Count == 0 && finished) return;
            }
        }, Ct));
        await Task.WhenAll(producerTasks.Concat(consumerTasks));

        var claimedIds = claims.Select(o => o.Id).ToList();
        Assert.Equal(producers * perProducer, created.Count);
        Assert.Equal(claimedIds.Count, claimedIds.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(created.Order(StringComparer.Ordinal), claimedIds.Order(StringComparer.Ordinal));
        Assert.All(claims, o => Assert.Equal((1, 1L), (o.Attempt, o.LeaseEpoch)));
        var running = await Store.ListAsync(new ListParams(Tenant, OperationStatus.Running, null, 1000, null), Ct);
        Assert.Equal(producers * perProducer, running.Operations.Count);
        Assert.Empty(await Store.ClaimAsync(new ClaimParams("late", [Kind], 100, Lease), Ct));
    }
}
