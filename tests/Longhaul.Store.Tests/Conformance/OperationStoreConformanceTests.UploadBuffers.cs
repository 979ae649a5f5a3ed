using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task Uploads_AWholeArrayPiece_KeepsItsBytesAfterTheCallerReusesTheArrayAndReadsIntoTheCallersBuffer()
    {
        // A request body's full pieces are written from the writer's own pooled array (no copy): the store must have
        // what the array held when the write ended, and a read fills the caller's buffer.
        const int size = 1024 * 1024;
        await CreateUploadAsync("up_whole", size + 3);
        var piece = new byte[size];
        for (var i = 0; i < size; i++) piece[i] = (byte)(i * 7);
        var expected = piece.ToArray();

        Assert.Equal(size, await AppendAsync("up_whole", 0, piece));
        Array.Fill(piece, (byte)0xEE);
        Assert.Equal(size + 3, await AppendAsync("up_whole", size, [1, 2, 3]));

        var into = new byte[2 * size];
        var first = await Store.ReadUploadChunkAsync(new ReadUploadChunkParams("up_whole", 12345, into), Ct);
        Assert.NotNull(first);
        Assert.Same(into, first.Data);
        Assert.Equal(0, first.Start);
        Assert.Equal(size, first.Length);
        Assert.True(expected.AsSpan().SequenceEqual(into.AsSpan(0, size)));
        var last = await Store.ReadUploadChunkAsync(new ReadUploadChunkParams("up_whole", size + 2, into), Ct);
        Assert.NotNull(last);
        Assert.Equal(size, last.Start);
        Assert.Equal(new byte[] { 1, 2, 3 }, last.Data.AsSpan(0, last.Length).ToArray());
        Assert.Null(await Store.ReadUploadChunkAsync(new ReadUploadChunkParams("up_whole", size + 3, into), Ct));
    }
}
