using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Longhaul.Export.Formats;

/// <summary>
/// Where an encoder writes the file's bytes: a small in-memory buffer that <see cref="DrainAsync"/> hands, in blocks of
/// about 256 KiB, to a background writer that hashes them and moves them into the operation file, so formatting the
/// next rows overlaps storing the last ones. At most <see cref="BlocksInFlight"/> blocks wait: memory stays bounded.
/// <see cref="Position"/> is the byte offset in the whole file, across attempts.
/// </summary>
internal sealed class ExportSink : Stream
{
    private const int DrainBytes = 256 * 1024;
    private const int BlocksInFlight = 4;
    private ExceptionDispatchInfo? _failure;
    private readonly MemoryStream _pending = new();
    private readonly OperationFileWriter _file;
    private readonly IncrementalHash? _hash;
    private readonly Channel<(byte[] Block, int Length)> _blocks = Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(BlocksInFlight) { SingleReader = true, SingleWriter = true });
    private readonly Task _writer;
    private readonly long _start;
    private long _handedOff;

    /// <param name="file">The file, new or resumed.</param>
    /// <param name="hash">Fed with every byte written here; null when the hash is computed later (a resumed file).</param>
    /// <param name="cancellationToken">Stops the background writer.</param>
    public ExportSink(OperationFileWriter file, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        _file = file;
        _hash = hash;
        _start = file.Length;
        _stored = file.StoredLength;
        _writer = Task.Run(() => WriteBlocksAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Bytes of the file durably stored (the file writer's, updated by the background writer).</summary>
    public long StoredLength => Volatile.Read(ref _stored);

    private long _stored;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Position;

    public override long Position
    {
        get => _start + _handedOff + _pending.Length;
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

    /// <summary>Hands the buffered bytes to the background writer once there are enough of them (or always, with <paramref name="force"/>); waits only when it is behind.</summary>
    public async Task DrainAsync(bool force, CancellationToken cancellationToken)
    {
        if (_writer.IsFaulted) ThrowWriterFailure();
        if (_pending.Length == 0 || (!force && _pending.Length < DrainBytes)) return;
        var length = (int)_pending.Length;
        var block = ArrayPool<byte>.Shared.Rent(length);
        _pending.GetBuffer().AsSpan(0, length).CopyTo(block);
        _pending.SetLength(0);
        _handedOff += length;
        try
        {
            await _blocks.Writer.WriteAsync((block, length), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowWriterFailure();
        }
    }

    /// <summary>Hands over the rest and waits until the background writer has moved every byte into the file.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(force: true, cancellationToken).ConfigureAwait(false);
        _blocks.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteBlocksAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (block, length) in _blocks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                _hash?.AppendData(block, 0, length);
                await _file.WriteAsync(block.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                ArrayPool<byte>.Shared.Return(block);
                Volatile.Write(ref _stored, _file.StoredLength);
            }
        }
        catch (Exception e)
        {
            // The producer sees the failure at its next drain (the channel is closed) and rethrows it: kept before the
            // channel closes, since the task is not faulted yet while this catch runs.
            Volatile.Write(ref _failure, ExceptionDispatchInfo.Capture(e));
            _blocks.Writer.TryComplete();
            throw;
        }
    }

    private void ThrowWriterFailure()
    {
        // The writer's catch keeps its failure before the channel closes or the task faults: no failure means it was cancelled.
        Volatile.Read(ref _failure)?.Throw();
        throw new OperationCanceledException("The export's file writer stopped.");
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        _blocks.Writer.TryComplete();
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (Exception) when (_writer.IsFaulted || _writer.IsCanceled)
        {
            // Already surfaced through DrainAsync or CompleteAsync, or the attempt is being abandoned.
        }
        _pending.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
