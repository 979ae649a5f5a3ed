namespace Longhaul.Import;

/// <summary>
/// The converted rows of one chunk, row-major in one reused array, their text in one reused arena, and the chunk's bad
/// rows. Both arrays are pooled (dispose the batch to give them back); neither holds a reference, so a chunk costs the
/// GC nothing to scan and leaves no garbage behind (ADR 32).
/// </summary>
internal sealed class ImportBatch(int capacity, IReadOnlyList<TargetColumn> columns) : IDisposable
{
    /// <summary>
    /// The text arena's first size, in characters (1 MiB; it doubles while a chunk needs more): large enough for the
    /// usual chunk, so that no smaller arrays are rented on the way and kept by the pool. Of a fresh array only the
    /// part written becomes resident.
    /// </summary>
    private const int FirstTextChars = 512 * 1024;

    public IReadOnlyList<TargetColumn> Columns { get; } = columns;
    public ImportValue[] Values { get; private set; } = ImportPools.Values.Rent(Math.Max(1, capacity * columns.Count));

    /// <summary>The characters of the chunk's text cells; each text cell is a range of it.</summary>
    public char[] Text { get; private set; } = [];

    /// <summary>How many characters of <see cref="Text"/> are in use.</summary>
    public int TextUsed { get; private set; }

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

    /// <summary>Sets <paramref name="cell"/> to a copy of <paramref name="text"/> in the arena (the text of a bad row that is not committed is left there until <see cref="Clear"/>).</summary>
    public void SetText(ref ImportValue cell, ReadOnlySpan<char> text)
    {
        if (Text.Length - TextUsed < text.Length) Grow(text.Length);
        text.CopyTo(Text.AsSpan(TextUsed));
        cell.TextStart = TextUsed;
        cell.TextLength = text.Length;
        cell.IsNull = false;
        TextUsed += text.Length;
    }

    /// <summary>The characters of a text cell.</summary>
    public ReadOnlyMemory<char> TextOf(in ImportValue cell) => Text.AsMemory(cell.TextStart, cell.TextLength);

    /// <summary>Empties the batch (its arrays are kept for the next chunk).</summary>
    public void Clear()
    {
        Rows = 0;
        TextUsed = 0;
        Errors.Clear();
    }

    public void Dispose()
    {
        if (Values.Length == 0) return;
        Clear();
        ImportPools.Values.Return(Values);
        Values = [];
        if (Text.Length > 0) ImportPools.Chars.Return(Text);
        Text = [];
    }

    private void Grow(int needed)
    {
        var size = Math.Max(FirstTextChars, Text.Length);
        while (size - TextUsed < needed) size = checked(size * 2);
        var grown = ImportPools.Chars.Rent(size);
        Text.AsSpan(0, TextUsed).CopyTo(grown);
        if (Text.Length > 0) ImportPools.Chars.Return(Text);
        Text = grown;
    }
}
