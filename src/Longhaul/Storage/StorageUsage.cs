namespace Longhaul.Storage;

/// <summary>A tenant's finished operation files (export files, large result bodies) still stored.</summary>
/// <param name="Files">Finished files.</param>
/// <param name="FileBytes">Their bytes in all.</param>
public sealed record StorageUsage(long Files, long FileBytes);
