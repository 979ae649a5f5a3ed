using System.Buffers;
using Longhaul.Storage;

namespace Longhaul;

/// <summary>
/// Reads a finished upload (<c>/v1/uploads</c>) from the store, forward only, from any offset: one stored chunk in
/// memory at a time, whatever the upload's size, on whichever node runs the reader.
/// </summary>
public sealed class UploadStream : Stream
{
    private readonly IOperationStore _store;
    private readonly string _id;
    private readonly long _length;
    private UploadChunk? _chunk;
    private byte[]? _buffer;
    private long _position;

    /// <summary>A reader of upload <paramref name="id"/> (<paramref name="length"/> bytes) starting at byte <paramref name="start"/>.</summary>
    public UploadStream(IOperationStore store, string id, long length, long start = 0)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        _store = store;
        _id = id;
        _length = length;
        _position = Math.Min(start, length);
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => _length;

    /// <summary>The offset of the next byte to be read.</summary>
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _length || buffer.IsEmpty) return 0;
        if (_chunk is null || _position >= _chunk.Start + _chunk.Length)
        {
            // One pooled buffer for every chunk: a long read allocates no large arrays (they would pile up until a full GC).
            _buffer ??= ArrayPool<byte>.Shared.Rent(OperationFileWriter.ChunkBytes);
            _chunk = await _store.ReadUploadChunkAsync(new ReadUploadChunkParams(_id, _position, _buffer), cancellationToken).ConfigureAwait(false)
                ?? throw new IOException($"Upload {_id} has no stored byte at offset {_position}: it was deleted or expired.");
        }
        var from = (int)(_position - _chunk.Start);
        var take = Math.Min(buffer.Length, _chunk.Length - from);
        _chunk.Data.AsSpan(from, take).CopyTo(buffer.Span);
        _position += take;
        return take;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override void Flush() { }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _chunk = null;
        }
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
