using System.IO.Compression;

namespace Longhaul.Export;

/// <summary>
/// One part of an export: rows formatted (and gzipped) into a small in-memory buffer that is moved into an operation
/// file whenever it fills, so memory stays bounded by the buffer and the file writer's chunk. Each part of a gzip export
/// is a complete gzip member; members concatenated are one valid gzip file (RFC 1952 §2.2).
/// </summary>
internal sealed class ExportPart : IAsyncDisposable
{
    private const int DrainBytes = 256 * 1024;
    private readonly OperationFileWriter _file;
    private readonly MemoryStream _pending = new();
    private readonly GZipStream? _gzip;

    public ExportPart(OperationFileWriter file, ExportInput input, IReadOnlyList<string> columns)
    {
        _file = file;
        _gzip = input.Gzip ? new GZipStream(_pending, CompressionLevel.Fastest, leaveOpen: true) : null;
        Rows = new ExportRowWriter(_gzip ?? (Stream)_pending, input.Format, input.EscapeFormulas, columns);
    }

    public ExportRowWriter Rows { get; }

    /// <summary>Bytes stored or buffered so far (after gzip).</summary>
    public long Length => _file.Length + _pending.Length;

    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Rows.Flush();
        if (_pending.Length < DrainBytes) return;
        await MoveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is left and stores the part; returns its length.</summary>
    public async Task<long> FinishAsync(CancellationToken cancellationToken)
    {
        Rows.Dispose();
        if (_gzip is not null) await _gzip.DisposeAsync().ConfigureAwait(false);
        await MoveAsync(cancellationToken).ConfigureAwait(false);
        await _file.FinishAsync(cancellationToken).ConfigureAwait(false);
        return _file.Length;
    }

    public async ValueTask DisposeAsync()
    {
        if (_gzip is not null) await _gzip.DisposeAsync().ConfigureAwait(false);
        await _pending.DisposeAsync().ConfigureAwait(false);
    }

    private async Task MoveAsync(CancellationToken cancellationToken)
    {
        await _file.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken).ConfigureAwait(false);
        _pending.SetLength(0);
    }
}
