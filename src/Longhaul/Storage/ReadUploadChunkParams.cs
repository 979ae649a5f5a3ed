namespace Longhaul.Storage;

/// <summary>Reads the stored chunk of an upload that starts at <paramref name="Start"/> (below the upload's offset).</summary>
/// <param name="Id">The upload's id.</param>
/// <param name="Start">The offset of the chunk's first byte: 0, then each chunk's start plus its length.</param>
public sealed record ReadUploadChunkParams(string Id, long Start);
