namespace Longhaul.Storage;

/// <summary>
/// Stores bytes of an upload starting at <paramref name="Offset"/>. With <paramref name="Advance"/> the upload's offset
/// moves past them in the same transaction (the write is refused unless the upload's offset is exactly
/// <paramref name="Offset"/>); without it the chunk is staged beyond the offset until <c>CommitUploadAsync</c> (a
/// request with a checksum that is verified only at its end).
/// </summary>
/// <param name="Tenant">The tenant the upload belongs to.</param>
/// <param name="Id">The upload's id.</param>
/// <param name="Offset">The offset of the first byte of <paramref name="Data"/> in the upload.</param>
/// <param name="Data">The bytes, read until the returned task completes: the caller keeps them unchanged until then.</param>
/// <param name="Advance">Move the upload's offset past the chunk now.</param>
/// <param name="Retention">How long the upload is kept once this write finishes it.</param>
public sealed record UploadChunkParams(string Tenant, string Id, long Offset, ReadOnlyMemory<byte> Data, bool Advance, TimeSpan Retention)
{
    /// <summary>
    /// <see cref="Data"/> as the array a database parameter takes: its own array when it spans a whole one (a full
    /// pooled 1 MiB piece of a request body), so a large upload does not leave a 1 MiB garbage array per piece on the
    /// large object heap until a full GC; a copy otherwise (the last, shorter piece).
    /// </summary>
    public byte[] DataArray()
        => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(Data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : Data.ToArray();
}
