namespace Longhaul.Import;

/// <summary>
/// The loader's double buffer: while the caller writes one chunk's batch, the next chunk is read and converted into
/// the other batch. The batch a read-ahead fills is chosen when the read-ahead is started and handed to it as a value,
/// never read from state that moves on: however late the read-ahead actually starts (a loaded thread pool), it fills
/// the batch the caller is not writing, and <see cref="NextAsync"/> hands out the batches strictly in file order.
/// </summary>
/// <remarks>
/// The caller must be done with a batch (written and cleared) before it calls <see cref="NextAsync"/> again: that call
/// starts reading into it. At most one read-ahead runs at a time (each one waits for the one before), so the scanner
/// and its chunk need no locking.
/// </remarks>
internal sealed class ChunkReadAhead : IAsyncDisposable
{
    private readonly ImportBatch[] _batches;
    private readonly Func<ImportBatch, Task<bool>> _fill;
    private readonly Func<Func<Task<bool>>, Task<bool>> _start;
    private Task<bool> _next;
    private int _ready;

    /// <param name="first">The batch the first chunk is read into (now, on the caller's thread).</param>
    /// <param name="second">The other batch.</param>
    /// <param name="fill">Reads the next chunk into the batch given; false at the end of the file.</param>
    /// <param name="start">Starts a read-ahead (default: on the thread pool). A test seam: a test starts it late on purpose.</param>
    public ChunkReadAhead(ImportBatch first, ImportBatch second, Func<ImportBatch, Task<bool>> fill, Func<Func<Task<bool>>, Task<bool>>? start = null)
    {
        _batches = [first, second];
        _fill = fill;
        _start = start ?? (work => Task.Run(work, CancellationToken.None));
        _next = fill(first);
    }

    /// <summary>
    /// Reads an upload's records in chunks of at most the batches' capacity in rows and <paramref name="maxChunkBytes"/>
    /// in bytes and converts them by <paramref name="plan"/> (the load's reading: the chunk's end offset and line go with
    /// its batch). A chunk is read in pieces of the scanner's size, each converted into the batch after the pieces
    /// before it: the read buffer holds one piece, not a whole chunk (ADR 32).
    /// </summary>
    public static ChunkReadAhead Over(RecordScanner scanner, ScannedChunk chunk, ImportPlan plan, ImportBatch first, ImportBatch second,
        long maxChunkBytes, CancellationToken cancellationToken, Func<Func<Task<bool>>, Task<bool>>? start = null)
    {
        var maxRows = Math.Min(first.Capacity, second.Capacity);
        return new ChunkReadAhead(first, second, async into =>
        {
            into.Clear();
            // Records, not rows: blank and bad records count too, so the rows committed never pass the capacity.
            var records = 0;
            long bytes = 0;
            while (records < maxRows && bytes < maxChunkBytes)
            {
                if (!await scanner.NextAsync(chunk, maxRows - records, cancellationToken, maxChunkBytes - bytes).ConfigureAwait(false)) break;
                RowParser.Parse(chunk, plan, into);
                records += chunk.Count;
                bytes += chunk.DataLength;
                into.EndOffset = chunk.EndOffset;
                into.EndLine = chunk.EndLine;
            }
            return records > 0;
        }, start);
    }

    /// <summary>
    /// The next chunk's batch, in file order, or null after the last one; starts reading the chunk after it into the
    /// other batch. A failure of reading (a bad file, the store) is thrown here, for the chunk it happened in.
    /// </summary>
    public async Task<ImportBatch?> NextAsync()
    {
        if (!await _next.ConfigureAwait(false)) return null;
        var ready = _batches[_ready];
        _ready ^= 1;
        // Bound here, passed by value: the read-ahead cannot see _ready move on.
        var ahead = _batches[_ready];
        _next = _start(() => _fill(ahead));
        return ready;
    }

    /// <summary>Waits for a read-ahead still running (the batches and the scanner are given back after this); its failure is dropped: a chunk before it failed first.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _next.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Not this attempt's failure: the caller stopped at an earlier chunk.
        }
    }
}
