using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Engine;

/// <summary>An in-process handler past its operation's event limit (issue 19): the store fails the operation, the engine stops the handler.</summary>
public sealed class EventLimitEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Engine_HandlerWritesPastMaxEvents_OperationFailsEventLimitExceeded_NotRetried()
    {
        await using var host = await EngineHost.StartAsync();
        var op = new OperationToStart(OperationIds.New(TimeProvider.System), EngineHost.Tenant, ChattyHandler.KindName,
            JsonDocument.Parse("{}").RootElement.Clone(), null, null, 0, 3, null);
        var created = await host.Store.StartAsync(new StartParams(op, null) { MaxEvents = 10 }, Ct);
        Assert.Equal(StartOutcome.Started, created.Outcome);

        var done = await host.WaitUntilDoneAsync(op.Id);

        Assert.Equal(OperationStatus.Failed, done.Status);
        Assert.Equal(OperationErrors.EventLimitExceededCode, done.Error?.Code);
        Assert.Equal(1, done.Attempt);
        var events = await host.Store.ReadEventsAsync(new ReadEventsParams(op.Id, 0, 1000), Ct);
        Assert.Equal(9, events.Count(e => e.Type == EventTypes.Output));
        Assert.Equal(EventTypes.Done, events[^1].Type);
        Assert.Equal(12, events.Count);
    }
}
