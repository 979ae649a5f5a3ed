using System.Security.Cryptography;

namespace Longhaul.Export.Formats;

/// <summary>
/// Where an encoder writes the file's bytes: a small in-memory buffer that <see cref="DrainAsync"/> moves into the
/// operation file (hashing it on the way), so memory stays bounded by the buffer and the file writer's chunk.
/// <see cref="Position"/> is the byte offset in the whole file, across attempts.
/// </summary>
internal sealed class ExportSink : Stream
{
    private const int DrainBytes = 256 * 1024;
    private readonly MemoryStream _pending = new();
    private readonly OperationFileWriter _file;
    private readonly IncrementalHash? _hash;

    /// <param name="file">The file, new or resumed.</param>
    /// <param name="hash">Fed with every byte written here; null when the hash is computed later (a resumed file).</param>
    public ExportSink(OperationFileWriter file, IncrementalHash? hash)
    {
        _file = file;
        _hash = hash;
    }

    public OperationFileWriter File => _file;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Position;

    public override long Position
    {
        get => _file.Length + _pending.Length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

    public override void WriteByte(byte value) => _pending.WriteByte(value);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _pending.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _pending.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Moves the buffered bytes into the file once there are enough of them (or always, with <paramref name="force"/>).</summary>
    public async Task DrainAsync(bool force, CancellationToken cancellationToken)
    {
        if (_pending.Length == 0 || (!force && _pending.Length < DrainBytes)) return;
        var data = _pending.GetBuffer().AsMemory(0, (int)_pending.Length);
        _hash?.AppendData(data.Span);
        await _file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        _pending.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _pending.Dispose();
        base.Dispose(disposing);
    }
}
