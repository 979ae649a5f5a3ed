namespace Longhaul.Storage;

/// <summary>One stored chunk of an upload: <see cref="Length"/> bytes at the start of <see cref="Data"/>.</summary>
/// <param name="Start">The offset of its first byte in the upload.</param>
/// <param name="Data">Its bytes: the caller's buffer when one was given and large enough, else a new array.</param>
/// <param name="Length">How many bytes of <see cref="Data"/> it holds.</param>
public sealed record UploadChunk(long Start, byte[] Data, int Length);
