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
/// <param name="Data">The bytes (copied before the call returns).</param>
/// <param name="Advance">Move the upload's offset past the chunk now.</param>
/// <param name="Retention">How long the upload is kept once this write finishes it.</param>
public sealed record UploadChunkParams(string Tenant, string Id, long Offset, ReadOnlyMemory<byte> Data, bool Advance, TimeSpan Retention);
