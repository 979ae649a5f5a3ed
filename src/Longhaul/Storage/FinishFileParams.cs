namespace Longhaul.Storage;

/// <summary>
/// A fenced write that makes the file <paramref name="Name"/> readable: chunks 0 to <paramref name="Chunks"/> - 1, written
/// under this lease's epoch, hold <paramref name="Length"/> bytes of <paramref name="ContentType"/>.
/// </summary>
public sealed record FinishFileParams(LeaseRef Lease, string Name, string ContentType, long Length, int Chunks);
