using System.Text.Json;

namespace Longhaul.Export;

/// <summary>
/// What a crashed export resumes from: how many bytes of the file are stored and end at a row (and gzip member, or
/// Parquet row group), the key of the last row in them, and for Parquet the footer those bytes still lack.
/// </summary>
internal sealed record ExportCheckpoint
{
    /// <summary>Bytes of the file stored at this checkpoint; a resumed attempt keeps them and writes on after them.</summary>
    public long Bytes { get; init; }

    /// <summary>The key of the last row in <see cref="Bytes"/>, or null before the first.</summary>
    public IReadOnlyList<JsonElement>? After { get; init; }

    /// <summary>Rows in <see cref="Bytes"/>.</summary>
    public long Rows { get; init; }

    /// <summary>The progress total: a fast estimate at first, exact once every row is written.</summary>
    public long? Total { get; init; }

    /// <summary>Parquet: the columns' types, so a resumed file keeps its schema.</summary>
    public IReadOnlyList<string>? ParquetTypes { get; init; }

    /// <summary>Parquet: the footer describing the row groups in <see cref="Bytes"/> (not in the file until the end).</summary>
    public byte[]? ParquetFooter { get; init; }

    /// <summary>The file is finished: a resumed attempt only issues the link.</summary>
    public bool Done { get; init; }

    /// <summary>The finished file's SHA-256, lower-case hex.</summary>
    public string? Sha256 { get; init; }
}
