namespace Longhaul.Import;

/// <summary>
/// Splits an upload into records (a CSV row, which may span lines inside quotes, or an NDJSON line) as byte ranges,
/// counting physical lines, so every record has its line number and every chunk its exact end offset to checkpoint.
/// Memory: one buffer of <c>maxChunk + maxRecord</c> bytes, whatever the upload's size, rented from <see cref="ImportPools"/>
/// (an import's buffers are large objects: allocated afresh for every import they would pile up until a full GC).
/// Dispose the scanner to give it back.
/// </summary>
internal sealed class RecordScanner : IDisposable
{
    private readonly Stream _source;
    private readonly byte _quote;
    private readonly int _maxRecord;
    private readonly int _maxChunk;
    private readonly int _capacity;
    private byte[] _buffer;
    private long _bufferOffset;
    private int _start;
    private int _end;
    private bool _eof;

    /// <param name="source">The upload, positioned at <paramref name="offset"/>.</param>
    /// <param name="offset">The upload offset of the next record.</param>
    /// <param name="line">The line the next record starts on.</param>
    /// <param name="quote">The CSV quote byte, or 0 (NDJSON, or CSV without quoting).</param>
    /// <param name="maxRecord">The longest record in bytes.</param>
    /// <param name="maxChunk">The most bytes of records per chunk.</param>
    public RecordScanner(Stream source, long offset, long line, byte quote, int maxRecord, int maxChunk)
    {
        _source = source;
        _bufferOffset = offset;
        Line = line;
        _quote = quote;
        _maxRecord = maxRecord;
        _maxChunk = maxChunk;
        _capacity = maxChunk + maxRecord;
        _buffer = ImportPools.Bytes.Rent(_capacity);
    }

    /// <summary>The line the next record starts on.</summary>
    public long Line { get; private set; }

    /// <summary>The upload offset of the next record.</summary>
    public long Offset => _bufferOffset + _start;

    /// <summary>
    /// Fills <paramref name="chunk"/> with up to <paramref name="maxRows"/> records of at most the scanner's chunk size
    /// or <paramref name="maxBytes"/>, whichever is smaller (the record that passes it is the last); false when the
    /// upload has none left.
    /// </summary>
    public async ValueTask<bool> NextAsync(ScannedChunk chunk, int maxRows, CancellationToken cancellationToken, long maxBytes = long.MaxValue)
    {
        var limit = (int)Math.Min(_maxChunk, Math.Max(1, maxBytes));
        if (_end - _start < _maxRecord && !_eof) await FillAsync(cancellationToken).ConfigureAwait(false);
        chunk.Reset(_buffer, _start);
        var pos = _start;
        while (chunk.Count < maxRows && pos - _start < limit)
        {
            if (_end - pos < _maxRecord && !_eof)
            {
                // The next record may not be in the buffer: end the chunk here, the next call moves the rest to the front.
                if (chunk.Count > 0) break;
                await FillAsync(cancellationToken).ConfigureAwait(false);
                chunk.Reset(_buffer, _start);
                pos = _start;
            }
            var (length, lines) = Scan(pos);
            if (length == 0) break;
            chunk.Add(pos, length, Line);
            Line += lines;
            pos += length;
        }
        _start = pos;
        chunk.EndOffset = Offset;
        chunk.EndLine = Line;
        return chunk.Count > 0;
    }

    /// <summary>The record at <paramref name="pos"/>: its length with its line end, and the lines it spans; (0, 0) at the end.</summary>
    private (int Length, long Lines) Scan(int pos)
    {
        var limit = Math.Min(_end, pos + _maxRecord);
        var at = pos;
        var quoted = false;
        long lines = 0;
        var quoteLine = Line;
        while (true)
        {
            var rest = _buffer.AsSpan(at, limit - at);
            var i = _quote != 0 ? rest.IndexOfAny(_quote, (byte)'\n') : rest.IndexOf((byte)'\n');
            if (i < 0) break;
            at += i + 1;
            if (_buffer[at - 1] == _quote)
            {
                quoted = !quoted;
                if (quoted) quoteLine = Line + lines;
                continue;
            }
            lines++;
            if (!quoted) return (at - pos, lines);
        }
        if (limit < _end || !_eof)
            throw new ImportFileException("record_too_long", Line, $"the record is longer than {_maxRecord} bytes (Longhaul:Import:MaxRecordBytes){(quoted ? $"; a quote opened on line {quoteLine} may be unbalanced" : "")}.");
        if (pos == _end) return (0, 0);
        if (quoted) throw new ImportFileException("unbalanced_quote", quoteLine, "a quote opened here is never closed.");
        return (_end - pos, lines + 1);
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        while (_end < _capacity)
        {
            var read = await _source.ReadAsync(_buffer.AsMemory(_end, _capacity - _end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
                return;
            }
            _end += read;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ImportPools.Bytes.Return(_buffer);
        _buffer = [];
    }
}
