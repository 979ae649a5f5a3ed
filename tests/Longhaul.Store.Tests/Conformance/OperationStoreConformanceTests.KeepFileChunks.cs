using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task KeepFileChunks_AfterReclaim_TheNewAttemptContinuesTheEarlierAttemptsChunks()
    {
        var stale = await CreateRunningAsync(owner: OwnerA);
        byte[][] written = [Bytes(100, 1), Bytes(100, 2), Bytes(100, 3)];
        for (var i = 0; i < written.Length; i++) Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(stale), "export", i, written[i]), Ct));
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await Store.ReapAsync(new ReapParams(), Ct)).Requeued);
        var current = await ClaimOneAsync(stale.Id, OwnerB);

        Assert.Null(await Store.KeepFileChunksAsync(new KeepFileChunksParams(LeaseOf(stale), "export", 2), Ct));
        Assert.Equal(2, await Store.KeepFileChunksAsync(new KeepFileChunksParams(LeaseOf(current), "export", 2), Ct));
        Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(current), "export", 2, Bytes(7, 9)), Ct));
        Assert.True(await Store.FinishFileAsync(new FinishFileParams(LeaseOf(current), "export", "text/csv", 207, 3), Ct));

        var file = await Store.GetFileAsync(new GetFileParams(Tenant, current.Id, "export"), Ct);
        Assert.NotNull(file);
        Assert.Equal(current.LeaseEpoch, file.Epoch);
        Assert.Equal(written[0].Concat(written[1]).Concat(Bytes(7, 9)), await ReadFileAsync(file));
    }

    [Fact]
    public async Task KeepFileChunks_MoreThanStored_AnswersHowManyExistAndDropsTheFinishedEntry()
    {
        var running = await CreateRunningAsync();
        await WriteFileAsync(LeaseOf(running), "export", Bytes(100, 1), Bytes(100, 2), Bytes(10, 3));

        Assert.Equal(3, await Store.KeepFileChunksAsync(new KeepFileChunksParams(LeaseOf(running), "export", 5), Ct));
        Assert.Null(await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "export"), Ct));
        Assert.Equal(1, await Store.KeepFileChunksAsync(new KeepFileChunksParams(LeaseOf(running), "export", 1), Ct));
        Assert.Equal(0, await Store.KeepFileChunksAsync(new KeepFileChunksParams(LeaseOf(running), "other", 1), Ct));

        // What was dropped is gone: finishing with three chunks fails, with one succeeds.
        await Assert.ThrowsAnyAsync<Exception>(() => Store.FinishFileAsync(new FinishFileParams(LeaseOf(running), "export", "text/plain", 210, 3), Ct));
        Assert.True(await Store.FinishFileAsync(new FinishFileParams(LeaseOf(running), "export", "text/plain", 100, 1), Ct));
        var file = await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "export"), Ct);
        Assert.NotNull(file);
        Assert.Equal(Bytes(100, 1), await ReadFileAsync(file));
    }
}
