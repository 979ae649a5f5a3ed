using Longhaul.Storage;

namespace Longhaul.Tests.Uploads;

/// <summary>The array a store binds for an upload piece: the piece's own when it is a whole array, a copy otherwise.</summary>
public sealed class UploadChunkParamsTests
{
    [Fact]
    public void DataArray_OfAWholeArray_IsThatArray_OfAPart_IsACopyOfThePart()
    {
        var buffer = new byte[] { 1, 2, 3, 4 };

        Assert.Same(buffer, Params(buffer).DataArray());
        var part = Params(buffer.AsMemory(1, 2)).DataArray();
        Assert.NotSame(buffer, part);
        Assert.Equal(new byte[] { 2, 3 }, part);
        Assert.Empty(Params(ReadOnlyMemory<byte>.Empty).DataArray());
    }

    private static UploadChunkParams Params(ReadOnlyMemory<byte> data) => new("t", "up_x", 0, data, true, TimeSpan.FromHours(1));
}
