using System.Text;

namespace Longhaul.Import;

/// <summary>Which source field feeds which table column, resolved once per attempt from the mapping and the header.</summary>
internal sealed class ImportPlan
{
    public required bool Csv { get; init; }
    public required char Delimiter { get; init; }
    public required bool Quotes { get; init; }

    /// <summary>The table columns loaded, in mapping order.</summary>
    public required IReadOnlyList<TargetColumn> Columns { get; init; }

    /// <summary>CSV: the field each column comes from.</summary>
    public int[] SourceIndex { get; init; } = [];

    /// <summary>CSV: the fields every row must have (the header's count), or -1 without a header.</summary>
    public int FieldCount { get; init; } = -1;

    /// <summary>NDJSON: the member each column comes from, as UTF-8.</summary>
    public byte[][] SourceNames { get; init; } = [];

    public static byte[][] Utf8Names(IEnumerable<string> names) => [.. names.Select(Encoding.UTF8.GetBytes)];
}
