namespace Longhaul.Import;

/// <summary>
/// The converted rows of one chunk, row-major in one reused array, and the chunk's bad rows. The array is pooled
/// (dispose the batch to give it back) and its text cells are dropped by <see cref="Clear"/>, so a written chunk's
/// strings do not outlive it (a large array is in the oldest generation: what it points to would stay until a full GC).
/// </summary>
internal sealed class ImportBatch(int capacity, IReadOnlyList<TargetColumn> columns) : IDisposable
{
    public IReadOnlyList<TargetColumn> Columns { get; } = columns;
    public ImportValue[] Values { get; private set; } = ImportPools.Values.Rent(Math.Max(1, capacity * columns.Count));

    /// <summary>The most rows it holds.</summary>
    public int Capacity { get; } = capacity;

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

    /// <summary>Empties the batch, letting go of its text cells (the next row past the last may hold some too).</summary>
    public void Clear()
    {
        Values.AsSpan(0, Math.Min(Values.Length, (Rows + 1) * Columns.Count)).Clear();
        Rows = 0;
        Errors.Clear();
    }

    public void Dispose()
    {
        if (Values.Length == 0) return;
        // Only the used part holds strings: clearing all of a larger pooled array would touch (make resident) its rest.
        Clear();
        ImportPools.Values.Return(Values);
        Values = [];
        Rows = 0;
    }
}
