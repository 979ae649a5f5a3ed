namespace Longhaul.Storage;

/// <summary>A tenant's finished operation files (export files, large result bodies) and uploads still stored, and its unfinished operations.</summary>
/// <param name="Files">Finished files.</param>
/// <param name="FileBytes">Their bytes in all.</param>
public sealed record StorageUsage(long Files, long FileBytes)
{
    /// <summary>Uploads still stored (unfinished, or finished and kept for imports), until the prune deletes them.</summary>
    public long Uploads { get; init; }

    /// <summary>Their declared lengths in all: an upload reserves its whole length when it is created.</summary>
    public long UploadBytes { get; init; }

    /// <summary><see cref="FileBytes"/> plus <see cref="UploadBytes"/>: the figure the tenant's <c>MaxStoredBytes</c> limits.</summary>
    public long StoredBytes => FileBytes + UploadBytes;

    /// <summary>The tenant's pending operations.</summary>
    public long Pending { get; init; }

    /// <summary>The tenant's running operations.</summary>
    public long Running { get; init; }
}
