namespace Longhaul.Import;

/// <summary>
/// Complete records of the upload, contiguous in the scanner's buffer (valid until its next call), with each record's
/// line. Its arrays are pooled: dispose it to give them back.
/// </summary>
internal sealed class ScannedChunk(int capacity) : IDisposable
{
    public int[] Starts { get; private set; } = ImportPools.Ints.Rent(capacity);
    public int[] Lengths { get; private set; } = ImportPools.Ints.Rent(capacity);
    public long[] Lines { get; private set; } = ImportPools.Longs.Rent(capacity);
    public int Count { get; private set; }
    public byte[] Buffer { get; private set; } = [];
    public int DataStart { get; private set; }
    public int DataLength { get; private set; }

    /// <summary>The upload offset just past the last record.</summary>
    public long EndOffset { get; set; }

    /// <summary>The line the record after this chunk starts on.</summary>
    public long EndLine { get; set; }

    public ReadOnlySpan<byte> Record(int index) => Buffer.AsSpan(Starts[index], Lengths[index]);

    public void Reset(byte[] buffer, int dataStart)
    {
        Buffer = buffer;
        DataStart = dataStart;
        DataLength = 0;
        Count = 0;
    }

    public void Add(int start, int length, long line)
    {
        Starts[Count] = start;
        Lengths[Count] = length;
        Lines[Count] = line;
        Count++;
        DataLength = start + length - DataStart;
    }

    public void Dispose()
    {
        if (Starts.Length == 0) return;
        ImportPools.Ints.Return(Starts);
        ImportPools.Ints.Return(Lengths);
        ImportPools.Longs.Return(Lines);
        (Starts, Lengths, Lines, Buffer, Count) = ([], [], [], [], 0);
    }
}
