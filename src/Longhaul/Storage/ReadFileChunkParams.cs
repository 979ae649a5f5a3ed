namespace Longhaul.Storage;

/// <summary>One chunk of a finished file, as <see cref="IOperationStore.GetFileAsync"/> described it.</summary>
public sealed record ReadFileChunkParams(StoredFile File, int Index);
