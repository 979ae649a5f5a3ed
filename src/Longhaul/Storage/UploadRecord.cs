namespace Longhaul.Storage;

/// <summary>
/// A resumable upload (tus, <c>/v1/uploads</c>): <see cref="Length"/> bytes announced, the first <see cref="Offset"/>
/// of them stored as chunks, each keyed by the offset of its first byte.
/// </summary>
/// <param name="Id">The upload's id (<c>up_…</c>).</param>
/// <param name="Tenant">The tenant that created it.</param>
/// <param name="Length">The announced length in bytes.</param>
/// <param name="Offset">Bytes stored so far (the tus <c>Upload-Offset</c>).</param>
/// <param name="Metadata">The tus <c>Upload-Metadata</c> header as the client sent it; null when none.</param>
/// <param name="CreatedAt">When it was created (store clock).</param>
/// <param name="ExpiresAt">When it is deleted: an unfinished upload at its lifetime, a finished one after its retention.</param>
/// <param name="Expired">True when <see cref="ExpiresAt"/> has passed by the store's clock (not yet pruned).</param>
public sealed record UploadRecord(string Id, string Tenant, long Length, long Offset, string? Metadata, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool Expired)
{
    /// <summary>Every announced byte is stored.</summary>
    public bool IsComplete => Offset == Length;
}
