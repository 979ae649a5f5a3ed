using Longhaul.Storage;
using Longhaul.Store.Tests.Sqlite;

namespace Longhaul.Store.Tests.Engine;

public sealed class ClaimBatchingTests
{
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Engine_OneSlotFreesAmongLongRunningOperations_NextOperationStartsWithoutWaitingForMore()
    {
        var database = new TempDatabase();
        try
        {
            // Nine operations stored before any worker runs, so the first claim fills all eight slots (a backlog).
            var ids = new List<string>();
            await using (var creator = await EngineHost.StartAsync(o => o.RunWorkers = false, database))
            {
                for (var i = 0; i < 9; i++) ids.Add((await creator.StartOperationAsync(WaitForTokenHandler.KindName)).Id);
            }

            await using var host = await EngineHost.StartAsync(o => { o.WorkerSlots = 8; o.ShutdownGracePeriod = TimeSpan.Zero; }, database);
            foreach (var id in ids.Take(8)) await host.Probe.WhenStartedAsync(id, SignalTimeout);

            // One slot frees up; the other seven operations keep running indefinitely.
            await host.Store.CancelAsync(new CancelParams(EngineHost.Tenant, ids[0]), Ct);
            await host.WaitUntilDoneAsync(ids[0]);

            await host.Probe.WhenStartedAsync(ids[8], SignalTimeout);
            var ninth = await host.Store.GetAsync(new GetParams(null, ids[8]), Ct);
            Assert.Equal(Longhaul.Contracts.OperationStatus.Running, ninth!.Status);
        }
        finally
        {
            database.Delete();
        }
    }
}
