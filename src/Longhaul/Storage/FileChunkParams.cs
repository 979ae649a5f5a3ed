namespace Longhaul.Storage;

/// <summary>
/// A fenced write of chunk <paramref name="Index"/> of the operation's file <paramref name="Name"/>. Chunk 0 starts the file
/// over: the file's earlier chunks and its finished entry are dropped in the same write.
/// </summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
/// <param name="Data">The chunk's bytes; copied before the write returns.</param>
/// <param name="Name">The file's name within the operation.</param>
/// <param name="Index">The chunk's index, from 0.</param>
public sealed record FileChunkParams(LeaseRef Lease, string Name, int Index, ReadOnlyMemory<byte> Data);
