namespace Longhaul.Storage;

/// <summary>One stored chunk of an upload.</summary>
/// <param name="Start">The offset of its first byte in the upload.</param>
/// <param name="Data">Its bytes.</param>
public sealed record UploadChunk(long Start, byte[] Data);
