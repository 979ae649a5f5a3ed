using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    private static byte[] Bytes(int length, byte seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(seed + i * 7);
        return bytes;
    }

    /// <summary>Writes <paramref name="chunks"/> under <paramref name="lease"/> and finishes the file; asserts every write was accepted.</summary>
    private async Task WriteFileAsync(LeaseRef lease, string name, params byte[][] chunks)
    {
        for (var i = 0; i < chunks.Length; i++) Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(lease, name, i, chunks[i]), Ct));
        Assert.True(await Store.FinishFileAsync(new FinishFileParams(lease, name, "application/octet-stream", chunks.Sum(c => (long)c.Length), chunks.Length), Ct));
    }

    private async Task<byte[]> ReadFileAsync(StoredFile file)
    {
        var all = new List<byte>();
        for (var i = 0; i < file.Chunks; i++)
        {
            var chunk = await Store.ReadFileChunkAsync(new ReadFileChunkParams(file, i), Ct);
            Assert.NotNull(chunk);
            all.AddRange(chunk);
        }
        return [.. all];
    }

    [Fact]
    public async Task Files_WrittenInChunksAndFinished_ReadBackWithTypeLengthAndBytes()
    {
        var running = await CreateRunningAsync();
        byte[][] chunks = [Bytes(1000, 1), Bytes(1000, 2), Bytes(17, 3)];

        Assert.Null(await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct));
        for (var i = 0; i < chunks.Length; i++) Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(running), "body", i, chunks[i]), Ct));
        Assert.Null(await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct));
        Assert.True(await Store.FinishFileAsync(new FinishFileParams(LeaseOf(running), "body", "text/csv; charset=utf-8", 2017, 3), Ct));

        var file = await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct);
        Assert.NotNull(file);
        Assert.Equal("text/csv; charset=utf-8", file.ContentType);
        Assert.Equal(2017, file.Length);
        Assert.Equal(3, file.Chunks);
        Assert.Equal(chunks.SelectMany(c => c), await ReadFileAsync(file));
        Assert.Null(await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "other"), Ct));
        Assert.Null(await Store.ReadFileChunkAsync(new ReadFileChunkParams(file, 3), Ct));
    }

    [Fact]
    public async Task Files_OtherTenant_IsNotFound_NullTenantReadsAcrossTenants()
    {
        var running = await CreateRunningAsync();
        await WriteFileAsync(LeaseOf(running), "body", Bytes(10, 1));

        Assert.Null(await Store.GetFileAsync(new GetFileParams(OtherTenant, running.Id, "body"), Ct));
        Assert.NotNull(await Store.GetFileAsync(new GetFileParams(null, running.Id, "body"), Ct));
        Assert.Null(await Store.GetFileAsync(new GetFileParams(Tenant, OperationIds.New(Clock), "body"), Ct));
    }

    [Fact]
    public async Task Files_ChunkZeroAgain_StartsTheFileOver()
    {
        var running = await CreateRunningAsync();
        await WriteFileAsync(LeaseOf(running), "body", Bytes(100, 1), Bytes(100, 2), Bytes(100, 3));

        Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(running), "body", 0, Bytes(5, 9)), Ct));
        Assert.Null(await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct));
        Assert.True(await Store.FinishFileAsync(new FinishFileParams(LeaseOf(running), "body", "text/plain", 5, 1), Ct));

        var file = await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct);
        Assert.NotNull(file);
        Assert.Equal(Bytes(5, 9), await ReadFileAsync(file));
    }

    [Fact]
    public async Task Files_FinishWithMissingChunks_Throws_AndTheFileStaysUnreadable()
    {
        var running = await CreateRunningAsync();
        Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(running), "body", 0, Bytes(5, 1)), Ct));

        await Assert.ThrowsAnyAsync<Exception>(() => Store.FinishFileAsync(new FinishFileParams(LeaseOf(running), "body", "text/plain", 10, 2), Ct));

        Assert.Null(await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct));
    }

    [Fact]
    public async Task Files_StaleEpochAfterReclaim_AreRefused_AndTheNewOwnersFileWins()
    {
        var (stale, current) = await ReclaimedByAnotherOwnerAsync();
        await WriteFileAsync(LeaseOf(current), "body", Bytes(50, 4));

        Assert.False(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(stale), "body", 0, Bytes(50, 8)), Ct));
        Assert.False(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(stale), "body", 1, Bytes(50, 8)), Ct));
        Assert.False(await Store.FinishFileAsync(new FinishFileParams(LeaseOf(stale), "body", "text/plain", 50, 1), Ct));
        Assert.False(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(stale), "zombie", 0, Bytes(50, 8)), Ct));

        var file = await Store.GetFileAsync(new GetFileParams(Tenant, current.Id, "body"), Ct);
        Assert.NotNull(file);
        Assert.Equal(current.LeaseEpoch, file.Epoch);
        Assert.Equal("application/octet-stream", file.ContentType);
        Assert.Equal(Bytes(50, 4), await ReadFileAsync(file));
        Assert.Null(await Store.GetFileAsync(new GetFileParams(Tenant, current.Id, "zombie"), Ct));
    }

    [Fact]
    public async Task Files_AfterTheOperationFinished_AreRefused()
    {
        var running = await CreateRunningAsync();
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct));

        Assert.False(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(running), "body", 0, Bytes(5, 1)), Ct));
        Assert.False(await Store.FinishFileAsync(new FinishFileParams(LeaseOf(running), "body", "text/plain", 0, 0), Ct));
    }

    [Fact]
    public async Task Files_UnfinishedChunks_AreDroppedWhenTheOperationCompletes_FinishedFilesStay()
    {
        var running = await CreateRunningAsync();
        await WriteFileAsync(LeaseOf(running), "body", Bytes(10, 1));
        Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(running), "abandoned", 0, Bytes(10, 2)), Ct));
        var abandoned = new StoredFile(running.Id, "abandoned", "text/plain", 10, 1, running.LeaseEpoch, Clock.GetUtcNow());
        Assert.NotNull(await Store.ReadFileChunkAsync(new ReadFileChunkParams(abandoned, 0), Ct));

        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Failed, null, TransientError), Ct));

        Assert.Null(await Store.ReadFileChunkAsync(new ReadFileChunkParams(abandoned, 0), Ct));
        var kept = await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct);
        Assert.NotNull(kept);
        Assert.Equal(Bytes(10, 1), await ReadFileAsync(kept));
    }

    [Fact]
    public async Task Files_UnfinishedChunksOfAnEarlierAttempt_AreDroppedWhenALaterAttemptCompletesWithoutFiles()
    {
        var first = await CreateRunningAsync();
        Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(first), "abandoned", 0, Bytes(10, 2)), Ct));
        var abandoned = new StoredFile(first.Id, "abandoned", "text/plain", 10, 1, first.LeaseEpoch, Clock.GetUtcNow());
        Assert.True(await Store.HandBackAsync(new HandBackParams(LeaseOf(first)), Ct));
        var second = await ClaimOneAsync(first.Id, OwnerB);

        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(second), OperationStatus.Succeeded, null, null), Ct));

        Assert.Null(await Store.ReadFileChunkAsync(new ReadFileChunkParams(abandoned, 0), Ct));
    }

    [Fact]
    public async Task Files_DeleteOfTheOperation_RemovesItsFiles()
    {
        var running = await CreateRunningAsync();
        await WriteFileAsync(LeaseOf(running), "body", Bytes(100, 1), Bytes(100, 2));
        await WriteFileAsync(LeaseOf(running), "text", Bytes(10, 3));
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct));
        var file = await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct);
        Assert.NotNull(file);
        var neighbour = await CreateRunningAsync();
        await WriteFileAsync(LeaseOf(neighbour), "body", Bytes(10, 5));

        Assert.Equal(DeleteOutcome.Deleted, await Store.DeleteAsync(new DeleteParams(Tenant, running.Id), Ct));

        Assert.Null(await Store.GetFileAsync(new GetFileParams(null, running.Id, "body"), Ct));
        Assert.Null(await Store.GetFileAsync(new GetFileParams(null, running.Id, "text"), Ct));
        Assert.Null(await Store.ReadFileChunkAsync(new ReadFileChunkParams(file, 0), Ct));
        var kept = await Store.GetFileAsync(new GetFileParams(Tenant, neighbour.Id, "body"), Ct);
        Assert.NotNull(kept);
        Assert.Equal(Bytes(10, 5), await ReadFileAsync(kept));
    }

    [Fact]
    public async Task Files_PruneOfTheOperation_RemovesItsFiles()
    {
        var running = await CreateRunningAsync();
        await WriteFileAsync(LeaseOf(running), "body", Bytes(100, 1));
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct));
        var file = await Store.GetFileAsync(new GetFileParams(Tenant, running.Id, "body"), Ct);
        Assert.NotNull(file);
        await AdvanceAsync(TimeSpan.FromDays(2));

        Assert.Equal(1, await Store.PruneAsync(new PruneParams(TimeSpan.FromDays(1), 100), Ct));

        Assert.Null(await Store.GetFileAsync(new GetFileParams(null, running.Id, "body"), Ct));
        Assert.Null(await Store.ReadFileChunkAsync(new ReadFileChunkParams(file, 0), Ct));
    }
}
