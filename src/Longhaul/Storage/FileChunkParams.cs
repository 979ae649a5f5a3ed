namespace Longhaul.Storage;

/// <summary>
/// A fenced write of chunk <paramref name="Index"/> of the operation's file <paramref name="Name"/>. Chunk 0 starts the file
/// over: the file's earlier chunks and its finished entry are dropped in the same write.
/// </summary>
public sealed record FileChunkParams(LeaseRef Lease, string Name, int Index, ReadOnlyMemory<byte> Data);
