using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    private static readonly TimeSpan UploadLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan UploadRetention = TimeSpan.FromDays(1);

    private Task CreateUploadAsync(string id, long length, string tenant = Tenant)
        => Store.CreateUploadAsync(new CreateUploadParams(id, tenant, length, "filename ZGF0YS5jc3Y=", UploadLifetime, UploadRetention), Ct);

    private Task<long?> AppendAsync(string id, long offset, byte[] data, bool advance = true, string tenant = Tenant)
        => Store.WriteUploadChunkAsync(new UploadChunkParams(tenant, id, offset, data, advance, UploadRetention), Ct);

    private async Task<byte[]> ReadUploadAsync(string id)
    {
        var all = new List<byte>();
        for (long at = 0; await Store.ReadUploadChunkAsync(new ReadUploadChunkParams(id, at), Ct) is { } chunk; at = chunk.Start + chunk.Length) all.AddRange(chunk.Data.AsSpan(0, chunk.Length));
        return [.. all];
    }

    [Fact]
    public async Task Uploads_ChunksAtTheOffset_AdvanceItAndReadBackInOrder()
    {
        await CreateUploadAsync("up_a", 10);

        Assert.Equal(4, await AppendAsync("up_a", 0, [1, 2, 3, 4]));
        Assert.Equal(10, await AppendAsync("up_a", 4, [5, 6, 7, 8, 9, 10]));

        var upload = await Store.GetUploadAsync(new GetUploadParams(Tenant, "up_a"), Ct);
        Assert.NotNull(upload);
        Assert.True(upload.IsComplete);
        Assert.Equal("filename ZGF0YS5jc3Y=", upload.Metadata);
        Assert.False(upload.Expired);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (byte)i), await ReadUploadAsync("up_a"));
    }

    [Fact]
    public async Task Uploads_WrongOffsetPastLengthOrOtherTenant_AreRefusedAndChangeNothing()
    {
        await CreateUploadAsync("up_b", 4);
        await AppendAsync("up_b", 0, [1, 2]);

        Assert.Null(await AppendAsync("up_b", 0, [9, 9]));
        Assert.Null(await AppendAsync("up_b", 3, [9]));
        Assert.Null(await AppendAsync("up_b", 2, [9, 9, 9]));
        Assert.Null(await AppendAsync("up_b", 2, [9, 9], tenant: OtherTenant));
        Assert.Null(await Store.GetUploadAsync(new GetUploadParams(OtherTenant, "up_b"), Ct));
        Assert.False(await Store.DeleteUploadAsync(new DeleteUploadParams(OtherTenant, "up_b"), Ct));

        var upload = await Store.GetUploadAsync(new GetUploadParams(Tenant, "up_b"), Ct);
        Assert.Equal(2, upload!.Offset);
        Assert.Equal([1, 2], await ReadUploadAsync("up_b"));
    }

    [Fact]
    public async Task Uploads_StagedChunks_CountOnlyOnceCommittedAndADiscardDropsThem()
    {
        await CreateUploadAsync("up_c", 6);
        Assert.Equal(0, await AppendAsync("up_c", 0, [1, 2], advance: false));
        Assert.Equal(0, await AppendAsync("up_c", 2, [3, 4], advance: false));
        Assert.Empty(await ReadUploadAsync("up_c"));

        Assert.False(await Store.CommitUploadAsync(new CommitUploadParams(Tenant, "up_c", 2, 4, UploadRetention), Ct));
        Assert.True(await Store.CommitUploadAsync(new CommitUploadParams(Tenant, "up_c", 0, 4, UploadRetention), Ct));
        Assert.Equal([1, 2, 3, 4], await ReadUploadAsync("up_c"));

        Assert.Equal(4, await AppendAsync("up_c", 4, [7, 7], advance: false));
        Assert.True(await Store.CommitUploadAsync(new CommitUploadParams(Tenant, "up_c", 4, 4, UploadRetention), Ct));
        Assert.Equal(6, await AppendAsync("up_c", 4, [5, 6]));
        Assert.Equal([1, 2, 3, 4, 5, 6], await ReadUploadAsync("up_c"));
        var middle = await Store.ReadUploadChunkAsync(new ReadUploadChunkParams("up_c", 3), Ct);
        Assert.Equal(2, middle!.Start);
        Assert.Equal([3, 4], middle.Data.AsSpan(0, middle.Length).ToArray());
        var into = new byte[16];
        var reused = await Store.ReadUploadChunkAsync(new ReadUploadChunkParams("up_c", 0, into), Ct);
        Assert.Same(into, reused!.Data);
        Assert.Equal([1, 2], into.AsSpan(0, reused.Length).ToArray());
    }

    [Fact]
    public async Task Uploads_PastTheirLifetime_AreExpiredRefusedAndPruned()
    {
        await CreateUploadAsync("up_d", 4);
        await AppendAsync("up_d", 0, [1, 2]);
        await CreateUploadAsync("up_e", 2);
        await AppendAsync("up_e", 0, [1, 2]);

        await AdvanceAsync(UploadLifetime + TimeSpan.FromMinutes(1));

        var expired = await Store.GetUploadAsync(new GetUploadParams(Tenant, "up_d"), Ct);
        Assert.True(expired!.Expired);
        Assert.Null(await AppendAsync("up_d", 2, [3, 4]));
        await Store.PruneAsync(new PruneParams(TimeSpan.FromDays(30), 100), Ct);
        Assert.Null(await Store.GetUploadAsync(new GetUploadParams(Tenant, "up_d"), Ct));
        Assert.Null(await Store.ReadUploadChunkAsync(new ReadUploadChunkParams("up_d", 0), Ct));
        // A finished upload is kept for its retention, not its lifetime.
        Assert.Equal([1, 2], await ReadUploadAsync("up_e"));
    }

    [Fact]
    public async Task Uploads_Delete_RemovesTheUploadAndItsBytes()
    {
        await CreateUploadAsync("up_f", 2);
        await AppendAsync("up_f", 0, [1, 2]);

        Assert.True(await Store.DeleteUploadAsync(new DeleteUploadParams(Tenant, "up_f"), Ct));

        Assert.Null(await Store.GetUploadAsync(new GetUploadParams(Tenant, "up_f"), Ct));
        Assert.Null(await Store.ReadUploadChunkAsync(new ReadUploadChunkParams("up_f", 0), Ct));
        Assert.False(await Store.DeleteUploadAsync(new DeleteUploadParams(Tenant, "up_f"), Ct));
    }
}
