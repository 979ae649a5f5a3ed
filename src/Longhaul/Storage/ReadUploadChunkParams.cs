namespace Longhaul.Storage;

/// <summary>Reads the stored chunk of an upload that holds the byte at <paramref name="At"/> (below the upload's offset).</summary>
/// <param name="Id">The upload's id.</param>
/// <param name="At">An offset in the upload: 0, then the end of the chunk read before, or where a reader resumes.</param>
/// <param name="Into">A buffer to copy the chunk into when it is large enough (a reader reuses one, so a long read allocates no large arrays); null for a new array.</param>
public sealed record ReadUploadChunkParams(string Id, long At, byte[]? Into = null);
