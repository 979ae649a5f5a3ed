namespace Longhaul.Import;

/// <summary>Complete records of the upload, contiguous in the scanner's buffer (valid until its next call), with each record's line.</summary>
internal sealed class ScannedChunk(int capacity)
{
    public int[] Starts { get; } = new int[capacity];
    public int[] Lengths { get; } = new int[capacity];
    public long[] Lines { get; } = new long[capacity];
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
}
