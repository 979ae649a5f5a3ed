namespace Longhaul.Storage;

/// <summary>
/// A fenced write that makes the file <paramref name="Name"/> readable: chunks 0 to <paramref name="Chunks"/> - 1, written
/// under this lease's epoch, hold <paramref name="Length"/> bytes of <paramref name="ContentType"/>.
/// </summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
/// <param name="Name">The file's name within the operation.</param>
/// <param name="ContentType">The file's media type.</param>
/// <param name="Length">The file's length in bytes.</param>
/// <param name="Chunks">How many chunks hold it.</param>
public sealed record FinishFileParams(LeaseRef Lease, string Name, string ContentType, long Length, int Chunks);
