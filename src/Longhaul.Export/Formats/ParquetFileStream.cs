namespace Longhaul.Export.Formats;

/// <summary>
/// The stream Parquet.Net writes to: appends go to the <see cref="ExportSink"/>; to continue a file (Parquet.Net's
/// append mode reads the magic at the start and the footer at the end, then seeks to where the footer began) it
/// serves those reads from the saved footer, which is never written into the file until the end. While
/// <see cref="Capture"/> is set, writes (the footer of a segment) go to <see cref="Captured"/> instead of the file.
/// </summary>
internal sealed class ParquetFileStream(ExportSink sink, byte[]? footer) : Stream
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private long _position = footer is null ? sink.Position : sink.Position + footer.Length;

    public bool Capture { get; set; }

    public MemoryStream Captured { get; } = new();

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => Math.Max(_position, footer is null ? sink.Position : sink.Position + footer.Length);

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ReadOnlySpan<byte> source;
        if (_position < Magic.Length) source = Magic.AsSpan((int)_position);
        else if (footer is not null && _position >= sink.Position && _position < sink.Position + footer.Length) source = footer.AsSpan((int)(_position - sink.Position));
        else throw new NotSupportedException("Only the magic and the saved footer of a continued Parquet file can be read.");
        var n = Math.Min(source.Length, buffer.Length);
        source[..n].CopyTo(buffer);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Capture)
        {
            Captured.Write(buffer);
        }
        else
        {
            if (_position != sink.Position) throw new NotSupportedException("A Parquet file is written in order.");
            sink.Write(buffer);
        }
        _position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Captured.Dispose();
        base.Dispose(disposing);
    }
}
