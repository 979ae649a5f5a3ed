namespace Longhaul.Storage;

/// <summary>A finished operation file: its content is chunks 0 to <see cref="Chunks"/> - 1 written under <see cref="Epoch"/>.</summary>
public sealed record StoredFile(string OperationId, string Name, string ContentType, long Length, int Chunks, long Epoch, DateTimeOffset CreatedAt);
