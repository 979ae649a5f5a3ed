namespace Longhaul.Client;

/// <summary>A verified download.</summary>
/// <param name="Bytes">The file's length.</param>
/// <param name="Sha256">The file's SHA-256, lower-case hex, computed from the bytes written.</param>
/// <param name="ETag">The file's strong ETag as the server gave it (null when it gave none).</param>
/// <param name="ResumedFrom">The byte the server continued from with a <c>206</c> (a partial file resumed); null when the whole file came in one answer.</param>
public sealed record FileDownloadResult(long Bytes, string Sha256, string? ETag, long? ResumedFrom);
