namespace Longhaul.Storage;

/// <summary>A finished operation file: its content is chunks 0 to <see cref="Chunks"/> - 1 written under <see cref="Epoch"/>.</summary>
/// <param name="OperationId">The operation's id.</param>
/// <param name="Name">The file's name.</param>
/// <param name="ContentType">The file's media type.</param>
/// <param name="Length">The file's length in bytes.</param>
/// <param name="Chunks">How many chunks hold it.</param>
/// <param name="Epoch">The lease epoch its chunks were written under.</param>
/// <param name="CreatedAt">When it was finished (store clock).</param>
public sealed record StoredFile(string OperationId, string Name, string ContentType, long Length, int Chunks, long Epoch, DateTimeOffset CreatedAt);
