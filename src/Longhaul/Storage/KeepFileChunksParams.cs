namespace Longhaul.Storage;

/// <summary>
/// A fenced adoption of chunks 0 to <paramref name="Chunks"/> - 1 of the operation's unfinished (or finished) file
/// <paramref name="Name"/>, written by this or an earlier attempt, so the current attempt continues the file after them
/// instead of writing it again.
/// </summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
/// <param name="Name">The file's name within the operation.</param>
/// <param name="Chunks">How many chunks, from chunk 0, to keep.</param>
public sealed record KeepFileChunksParams(LeaseRef Lease, string Name, int Chunks);
