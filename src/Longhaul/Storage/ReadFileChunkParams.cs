namespace Longhaul.Storage;

/// <summary>One chunk of a finished file, as <see cref="IOperationStore.GetFileAsync"/> described it.</summary>
/// <param name="File">The finished file, as <see cref="IOperationStore.GetFileAsync"/> returned it.</param>
/// <param name="Index">The chunk's index, from 0.</param>
public sealed record ReadFileChunkParams(StoredFile File, int Index);
