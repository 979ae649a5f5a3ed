namespace Longhaul.Import;

/// <summary>The converted rows of one chunk, row-major in one reused array, and the chunk's bad rows.</summary>
internal sealed class ImportBatch(int capacity, IReadOnlyList<TargetColumn> columns)
{
    public IReadOnlyList<TargetColumn> Columns { get; } = columns;
    public ImportValue[] Values { get; } = new ImportValue[capacity * columns.Count];
    public int Rows { get; private set; }
    public List<ImportError> Errors { get; } = [];

    /// <summary>The upload offset after the chunk these rows came from.</summary>
    public long EndOffset { get; set; }

    /// <summary>The line the record after that chunk starts on.</summary>
    public long EndLine { get; set; }

    public Span<ImportValue> Row(int index) => Values.AsSpan(index * Columns.Count, Columns.Count);

    /// <summary>The next row's cells, cleared to null; <see cref="Commit"/> keeps it, a bad row just is not committed.</summary>
    public Span<ImportValue> Next()
    {
        var row = Row(Rows);
        for (var i = 0; i < row.Length; i++) row[i] = new ImportValue { IsNull = true };
        return row;
    }

    public void Commit() => Rows++;

    public void Clear()
    {
        Rows = 0;
        Errors.Clear();
    }
}
