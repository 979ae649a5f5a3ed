using System.Text.Json;

namespace Longhaul.Export;

/// <summary>What a crashed export resumes from: the parts stored so far and the key of the last row they hold.</summary>
internal sealed record ExportCheckpoint
{
    /// <summary>Parts stored (files <c>export.part-00000</c> …).</summary>
    public int Parts { get; init; }

    /// <summary>The key of the last row written, or null before the first part.</summary>
    public IReadOnlyList<JsonElement>? After { get; init; }

    /// <summary>Rows in the stored parts.</summary>
    public long Rows { get; init; }

    /// <summary>Bytes in the stored parts.</summary>
    public long Bytes { get; init; }

    /// <summary>Every row is in a stored part: a resumed attempt only joins the parts.</summary>
    public bool Done { get; init; }

    /// <summary>Rows the export expects in all (from a COUNT at the first attempt).</summary>
    public long? Total { get; init; }

    /// <summary>Parts an earlier attempt of a <c>restart</c> export stored, emptied at the end whether or not rewritten.</summary>
    public int StaleParts { get; init; }
}
