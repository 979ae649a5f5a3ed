namespace Longhaul.Storage;

/// <summary>Reads the stored chunk of an upload that holds the byte at <paramref name="At"/> (below the upload's offset).</summary>
/// <param name="Id">The upload's id.</param>
/// <param name="At">An offset in the upload: 0, then the end of the chunk read before, or where a reader resumes.</param>
public sealed record ReadUploadChunkParams(string Id, long At);
