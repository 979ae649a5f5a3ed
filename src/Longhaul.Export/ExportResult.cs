namespace Longhaul.Export;

/// <summary>The result of a finished export.</summary>
/// <param name="DownloadUrl">A signed link to the file that works without an API key until <paramref name="ExpiresAt"/>.</param>
/// <param name="ExpiresAt">When the link stops working (410 afterwards).</param>
/// <param name="RowCount">Rows written.</param>
/// <param name="Bytes">The file's length in bytes.</param>
/// <param name="Sha256">The file's SHA-256, lower-case hex.</param>
/// <param name="Format"><c>csv</c> or <c>ndjson</c>.</param>
/// <param name="ContentType">The Content-Type the file is served with.</param>
public sealed record ExportResult(string DownloadUrl, DateTimeOffset ExpiresAt, long RowCount, long Bytes, string Sha256, string Format, string ContentType);
